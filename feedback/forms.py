"""The shape of input and its messages; rules that need other rows live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.content import ContentSelect, content_label, text_of
from campaigns.honeypot import HoneypotFormMixin
from campaigns.models import Activity, PhoneCode, Region, Theme, ThemeItem
from campaigns.phone import MobileNumberField
from campaigns.privacy import CONSENT_LABEL
from campaigns.refcodes import normalize_code
from campaigns.textclean import CleanCharField
from campaigns.verification import PhoneCodeMixin

from .models import COMMENT_MAX_LENGTH, DIMENSIONS, REPLY_MAX_LENGTH, Feedback, Reply
from .selectors import queue_regions

NOT_EXPERIENCED = ""


def _score_field(label, low, high, *, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=[(str(n), str(n)) for n in range(low, high + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": _("请选择一个分数。")},
    )


def _dimension_field(label):
    return forms.TypedChoiceField(
        label=label,
        choices=[(NOT_EXPERIENCED, _("未体验")), *((str(n), str(n)) for n in range(1, 11))],
        coerce=int,
        empty_value=None,
        required=False,
        initial=NOT_EXPERIENCED,
        widget=forms.RadioSelect,
    )


def _theme_item_choices(campaign) -> list:
    """The campaign's items grouped by theme, named as the page shows them (a `ContentText`
    that `ContentSelect` marks where it is the Chinese fallback)."""
    items = ThemeItem.objects.filter(theme__campaign=campaign).select_related("theme")
    groups: dict[str, list[tuple[str, str]]] = {}
    for item in items.order_by("theme__order", "theme_id", "order", "id"):
        groups.setdefault(text_of(item.theme, "name"), []).append(
            (str(item.pk), text_of(item, "name"))
        )
    return [("", _("不指定")), *groups.items()]


def _city_choices() -> list:
    """Every city, grouped by province (one query)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for city in Region.objects.filter(level=Region.Level.CITY).select_related("province"):
        groups.setdefault(city.province.label, []).append((city.code, city.label))
    return [("", _("不指定")), *groups.items()]


class ThemeItemField(forms.ChoiceField):
    """Drawn from the campaign's items; a posted value is checked by `clean_theme_item`."""

    def valid_value(self, value):
        return True


class FeedbackForm(PhoneCodeMixin, HoneypotFormMixin, forms.Form):
    # A reply goes to the number left here: it is proven by SMS code first.
    sms_purpose = PhoneCode.Purpose.FEEDBACK

    activity = forms.ModelChoiceField(
        label=_("评价的活动"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("活动季整体（不针对具体活动）"),
        widget=ContentSelect(content_field="title"),
    )
    theme = forms.ModelChoiceField(
        label=_("主题"),
        queryset=Theme.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("请选择主题。"), "invalid_choice": _("请选择主题。")},
    )
    theme_item = ThemeItemField(
        label=_("具体产品或服务（可选）"), required=False, widget=ContentSelect
    )
    region = forms.ModelChoiceField(
        label=_("您所在的城市（可选）"),
        queryset=Region.objects.filter(level=Region.Level.CITY),
        to_field_name="code",
        required=False,
        empty_label=_("不指定"),
        help_text=_("不针对具体活动时，选择城市后由当地公司处理您的反馈。"),
        error_messages={"invalid_choice": _("请从列表中选择城市。")},
    )
    kind = forms.ChoiceField(
        label=_("反馈类型"),
        choices=Feedback.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择反馈类型。")},
    )
    overall_score = _score_field(_("总体满意度"), 1, 10, help_text=_("1分最低，10分为满分"))
    recommend_score = _score_field(
        _("您向亲友推荐中国移动的可能性有多大？"),
        0,
        10,
        help_text=_("0分为完全不可能，10分为非常愿意"),
    )
    comment = CleanCharField(
        label=_("评价内容"),
        min_length=5,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("说说您满意的地方和希望改进的地方（5–1000字）。请不要填写身份证号等个人信息。"),
        error_messages={
            "required": _("请填写评价内容。"),
            "min_length": _("评价内容至少%(limit_value)d个字。"),
            "max_length": _("评价内容最多%(limit_value)d个字（目前%(show_value)d个字）。"),
        },
    )
    wants_reply = forms.BooleanField(label=_("我希望得到回复"), required=False)
    name = forms.CharField(label=_("姓名"), max_length=30, required=False)
    phone = MobileNumberField(label=_("手机号"), required=False)
    email = forms.EmailField(
        label=_("电子邮箱（可选，用于接收回复通知）"), required=False, max_length=254
    )
    signup_reference = forms.CharField(
        label=_("报名编号（参加过活动的可填写）"),
        max_length=20,
        required=False,
        help_text=_("填写报名编号和报名时的手机号，您的评价会标注“已核实参与者”。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    consent = forms.BooleanField(label=CONSENT_LABEL, required=False)

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label in DIMENSIONS:
            self.fields[field] = _dimension_field(label)
        themes = Theme.objects.filter(campaign=campaign).order_by("order", "id")
        self.fields["theme"].queryset = themes
        self.fields["theme"].label_from_instance = content_label("name")
        self.fields["activity"].queryset = Activity.objects.filter(
            campaign=campaign, is_published=True
        ).order_by("order", "id")
        self.campaign = campaign
        # The grouped lists are only needed to draw the form, not to check a posted value.
        self.fields["theme_item"].choices = lambda: _theme_item_choices(campaign)
        self.fields["region"].choices = _city_choices

    @property
    def dimension_fields(self):
        return [self[field] for field, _label in DIMENSIONS]

    def clean_theme_item(self):
        value = self.cleaned_data["theme_item"]
        if not value:
            return None
        item = (
            ThemeItem.objects.filter(pk=value, theme__campaign=self.campaign).first()
            if value.isdigit() else None
        )
        if item is None:
            raise forms.ValidationError(
                self.fields["theme_item"].error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return item

    def clean_signup_reference(self):
        return normalize_code(self.cleaned_data["signup_reference"])

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def phone_code_needed(self, data: dict) -> bool:
        return bool(data.get("wants_reply"))

    def dimension_scores(self) -> dict[str, int | None]:
        return {field: self.cleaned_data.get(field) for field, _label in DIMENSIONS}

    def service_kwargs(self) -> dict:
        """What feedback_submit takes from this form (see campaigns.public_forms)."""
        data = self.cleaned_data
        fields = ("activity", "region", "theme", "theme_item", "kind", "overall_score",
                  "recommend_score", "comment", "wants_reply", "name", "phone", "email",
                  "consent", "signup_reference")
        return {**{name: data[name] for name in fields}, "dimensions": self.dimension_scores()}


class StatusForm(forms.Form):
    reference = forms.CharField(
        label=_("反馈编号"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone = MobileNumberField(
        label=_("手机号"), required=False, help_text=_("提交时留了手机号的，请填写该手机号")
    )

    def clean_reference(self):
        return normalize_code(self.cleaned_data["reference"])

    def service_kwargs(self) -> dict:
        return {"reference": self.cleaned_data["reference"], "phone": self.cleaned_data["phone"]}


# --- Staff ------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    theme = forms.ModelChoiceField(
        label=_("主题"), queryset=Theme.objects.all(), required=False, empty_label=_("全部主题"),
        widget=ContentSelect(content_field="name"),
    )
    activity = forms.ModelChoiceField(
        label=_("活动"),
        queryset=Activity.objects.all(),
        required=False,
        empty_label=_("全部活动"),
        widget=ContentSelect(content_field="title"),
    )
    region = forms.ModelChoiceField(
        label=_("区域"), queryset=Region.objects.none(), required=False,
        to_field_name="code", empty_label=_("全部区域"),
    )
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *Feedback.Kind.choices]
    )
    band = forms.ChoiceField(
        label=_("总体满意度"),
        required=False,
        choices=[
            ("", _("全部分数")),
            ("low", _("1–6 不满意")),
            ("mid", _("7–8 满意")),
            ("high", _("9–10 非常满意")),
        ],
    )
    state = forms.ChoiceField(
        label=_("审核状态"), required=False, choices=[("", _("全部状态")), *Feedback.State.choices]
    )
    case = forms.ChoiceField(
        label=_("工单"),
        required=False,
        choices=[
            ("", _("全部")),
            ("open", _("待回复")),
            ("overdue", _("已超时")),
            ("replied", _("已答复")),
            ("closed", _("已办结")),
        ],
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(scope.q("region"))
        regions = self.fields["region"]
        regions.queryset = scope.regions()
        regions.choices = [("", _("全部区域")), *(
            (r.code, r.label if r.level == r.Level.PROVINCE else f"\u3000{r.label}")
            for r in queue_regions(scope)
        )]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ModerationForm(forms.Form):
    ACTIONS = [("publish", _("发布")), ("reject", _("驳回")), ("hide", _("隐藏"))]

    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(
        label=_("原因（驳回时必填）"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    public_comment = forms.CharField(
        label=_("公开内容"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("可删改后再发布；发布时仍会自动隐去手机号、身份证号和邮箱。"),
    )


class ReplyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("回复类型"),
        choices=Reply.Kind.choices,
        widget=forms.RadioSelect,
        initial=Reply.Kind.OFFICIAL,
    )
    template = forms.ModelChoiceField(
        label=_("回复模板"),
        queryset=None,
        required=False,
        empty_label=_("不使用模板"),
        help_text=_("内容留空时使用所选模板的内容。"),
    )
    body = forms.CharField(
        label=_("内容"),
        max_length=REPLY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates

    def clean(self):
        cleaned = super().clean()
        body = (cleaned.get("body") or "").strip()
        if not body and cleaned.get("template"):
            body = cleaned["template"].body
        if not body:
            self.add_error("body", _("请填写回复内容，或选择一个回复模板。"))
        cleaned["body"] = body
        return cleaned


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("办理结果"), max_length=REPLY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class BulkForm(forms.Form):
    ACTIONS = [("publish", _("批量发布")), ("reject", _("批量驳回"))]

    action = forms.ChoiceField(choices=ACTIONS)
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=())
    reason = forms.CharField(label=_("驳回原因"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(v, v) for v in raw if str(v).isdigit()]
        self.fields["ids"].error_messages.update(
            required=_("请至少选择一条反馈。"), invalid_choice=_("所选反馈无效，请重新选择。")
        )
