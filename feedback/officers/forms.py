"""The report form: the task's dimensions, findings, where and when, and up to 3 images."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.textclean import CleanCharField

from .models import MAX_IMAGES, TEXT_MAX_LENGTH

NOT_EXPERIENCED = ""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files under one name (Django's documented pattern), at most MAX_IMAGES."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "accept": "image/jpeg,image/png,image/webp", "multiple": True,
        }))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_IMAGES:
            raise forms.ValidationError(_("每篇报告最多%(n)d张图片。") % {"n": MAX_IMAGES},
                                        code="too_many")
        return [super(MultipleImageField, self).clean(one, initial) for one in files]


def _finding(label, help_text):
    return CleanCharField(
        label=label, required=False, max_length=TEXT_MAX_LENGTH, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("最多%(limit_value)d个字（现在是%(show_value)d个字）。")},
    )


class ReportForm(forms.Form):
    highlights = _finding(_("亮点"), _("体验中做得好的地方。"))
    problems = _finding(_("问题"), _("遇到的问题：在哪里、什么时候、发生了什么。"))
    suggestions = _finding(_("建议"), _("希望如何改进。"))
    place = CleanCharField(label=_("体验地点"), required=False, max_length=100,
                           help_text=_("例如：地铁2号线西直门站、朝阳门营业厅、线上。"))
    experienced_at = forms.DateTimeField(
        label=_("体验时间"), required=False, input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("请填写有效的日期和时间。")},
    )
    images = MultipleImageField(
        label=_("照片或截图（最多3张）"), required=False,
        help_text=_("JPEG、PNG或WebP，每张不超过5MB；上传时会去除拍摄地点等信息。"),
    )

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        choices = [(NOT_EXPERIENCED, _("未体验")), *((n, str(n)) for n in range(1, 11))]
        self.score_names = []
        for key, label in task.dimension_labels():
            name = f"score_{key}"
            self.fields[name] = forms.TypedChoiceField(
                label=label, choices=choices, coerce=int, empty_value=None, required=False,
            )
            self.score_names.append((key, name))

    @property
    def score_fields(self):
        return [self[name] for _key, name in self.score_names]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {key: data.get(name) for key, name in self.score_names},
            **{field: data.get(field) for field in
               ("highlights", "problems", "suggestions", "place", "experienced_at")},
        }


def initial_for(report) -> dict:
    initial = {field: getattr(report, field) for field in
               ("highlights", "problems", "suggestions", "place", "experienced_at")}
    for key, value in (report.scores or {}).items():
        initial[f"score_{key}"] = "" if value is None else value
    return initial


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"), widget=forms.RadioSelect,
        choices=[("accept", _("采纳（发放积分）")), ("return", _("退回修改"))],
        error_messages={"required": _("请选择审核结果。")},
    )
    comment = CleanCharField(label=_("审核意见"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("退回修改时必填，会通过短信提醒体验官查看。"))
    featured = forms.BooleanField(
        label=_("采纳后在公开的体验官页面展示亮点和建议（姓名隐去）"), required=False,
    )


class CaseReplyForm(forms.Form):
    body = CleanCharField(label=_("答复体验官"), max_length=1000,
                          widget=forms.Textarea(attrs={"rows": 3}),
                          error_messages={"required": _("请填写答复内容。")})


class CertificateLookupForm(forms.Form):
    code = forms.CharField(label=_("证书编号"), max_length=20,
                           error_messages={"required": _("请填写证书编号。")})
