"""The shape of what the public types in, and the messages they see next to each field."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .content import ContentSelect, content_label
from .honeypot import HONEYPOT_CSS_CLASS, HONEYPOT_FIELD, HoneypotFormMixin
from .models import (
    OfficerApplication,
    PhoneCode,
    ReceptionCase,
    Region,
    Session,
    Signup,
    Theme,
    ThemeItem,
)
from .phone import MobileNumberField
from .privacy import CONSENT_LABEL
from .refcodes import normalize_code
from .textclean import CleanCharField
from .verification import PhoneCodeMixin

ACCOUNT_CHARS = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@._-")


def _honeypot():
    return Div(HONEYPOT_FIELD, css_class=HONEYPOT_CSS_CLASS, aria_hidden="true")


# The SMS code and its "获取验证码" button, when the form has them (campaigns.verification).
PHONE_CODE = HTML('{% include "campaigns/_phone_code.html" %}')


# The range of a 64-bit primary key. SQLite raises OverflowError (a 500) on a larger number
# in an `IN (…)` query, which is what a multiple choice of rows runs.
MAX_ID = 2**63 - 1


class RowsChoiceField(forms.ModelMultipleChoiceField):
    """Several rows chosen by id; an id no row could have is refused before any query."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number: Django's own check refuses it without overflowing
            if not -MAX_ID - 1 <= number <= MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:20]},
                )
        return super()._check_values(value)


class FocusFirstErrorMixin:
    """After a failed submission the first wrong field (in the order shown) gets `autofocus`,
    so keyboard and screen-reader users land on it and hear its message; no script needed.

    The templates post to the page's path: a `#fragment` left in the URL (the skip link) would
    make the browser ignore `autofocus`.
    """

    def add_error(self, field, error):
        super().add_error(field, error)
        layout = getattr(getattr(self, "helper", None), "layout", None)
        order = [p.name for p in layout.get_field_names()] if layout else list(self.fields)
        wrong = [name for name in order if name in self._errors and name != HONEYPOT_FIELD]
        for name, bound_field in self.fields.items():
            bound_field.widget.attrs.pop("autofocus", None)
            if wrong and name == wrong[0]:
                bound_field.widget.attrs["autofocus"] = True


class PersonForm(PhoneCodeMixin, FocusFirstErrorMixin, HoneypotFormMixin):
    """Name, mobile number (proven by SMS code), optional email and the privacy consent every
    signup asks."""

    name = CleanCharField(
        label=_("姓名"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("请填写姓名。")},
    )
    phone = MobileNumberField(error_messages={"required": _("请填写手机号码。")})
    email = forms.EmailField(
        label=_("电子邮箱（选填）"),
        required=False,
        max_length=254,
        help_text=_("填写后，我们会把报名确认和查看链接发到这个邮箱。"),
        error_messages={"invalid": _("请输入有效的电子邮箱地址。")},
    )
    consent = forms.BooleanField(
        label=CONSENT_LABEL,
        required=True,
        error_messages={"required": _("请阅读并同意《个人信息保护说明》后再提交。")},
    )

    person_fields = ("name", "phone", "email")
    # Further cleaned fields that the form's service takes under the same name.
    service_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not name:
            raise forms.ValidationError(_("请填写姓名。"), code="required")
        return name

    def service_kwargs(self) -> dict:
        """What the service takes from this form (see campaigns.public_forms)."""
        data = self.cleaned_data
        return {name: data[name] for name in (*self.person_fields, *self.service_fields)}

    def layout(self, *parts):
        self.helper.layout = Layout(
            Fieldset(_("联系人"), "name", "phone", PHONE_CODE, "email"),
            *parts,
            Div("consent", css_class="consent"),
            _honeypot(),
        )


class OpenDaySignupForm(PersonForm):
    companions = forms.TypedChoiceField(
        label=_("同行人数"),
        coerce=int,
        choices=[(n, n) for n in range(Signup.MAX_COMPANIONS + 1)],
        initial=0,
        help_text=_("不含本人，最多4人；同行人也占用名额。"),
    )
    with_minors = forms.BooleanField(label=_("同行人中有未成年人"), required=False)
    guardian_confirmed = forms.BooleanField(
        label=_("我已年满18周岁，是同行未成年人的监护人（或受其监护人委托），将全程陪同。"),
        required=False,
    )
    interests = CleanCharField(
        label=_("关注内容（选填）"), max_length=200, required=False,
        help_text=_("例如：5G基站、宽带装维、10086智能服务。"),
    )
    accessibility_needs = CleanCharField(
        label=_("无障碍需求（选填）"), max_length=200, required=False,
        help_text=_("例如：轮椅通行、手语翻译。"),
    )
    rules_accepted = forms.BooleanField(
        label=_("我已阅读并遵守活动须知（机房禁止拍照、迟到15分钟视为放弃名额、入场核验身份证件）。"),
        error_messages={"required": _("请阅读并接受活动须知。")},
    )
    # Set by the "确认加入候补名单" button: the party knowingly waits for places.
    join_waitlist = forms.BooleanField(required=False, widget=forms.HiddenInput)

    service_fields = ("companions", "with_minors", "interests", "accessibility_needs",
                      "rules_accepted")

    # An online visit (直播) has no party to count and no site to behave in.
    ON_SITE_ONLY = ("companions", "with_minors", "guardian_confirmed")

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        visit = ["companions", "with_minors", "guardian_confirmed", "interests",
                 "accessibility_needs", "rules_accepted"]
        if session.is_online:
            for name in self.ON_SITE_ONLY:
                del self.fields[name]
                visit.remove(name)
            self.fields["rules_accepted"].label = _(
                "我已阅读并遵守直播须知（文明发言，不录屏转发）。"
            )
        else:
            # The guardian's confirmation concerns only a party with a minor: shown once
            # "同行人中有未成年人" is ticked (static/js/show-when-checked.js). Without the script
            # it stays on the page; clean() asks for it only when a minor comes.
            visit[visit.index("guardian_confirmed")] = Div(
                "guardian_confirmed", css_class="guardian-consent",
                data_show_when_checked="id_with_minors",
            )
        self.layout(Fieldset(_("参观信息"), *visit))

    def _warn_before_waiting(self, data) -> None:
        """A party bigger than the places left would wait as a whole: say so before the
        signup is final, and let the person choose (fewer companions, or the waiting list)."""
        party = 1 + (data.get("companions") or 0)
        left = self.session.places_left
        if (0 < left < party <= self.session.capacity and not data.get("join_waitlist")
                and self.session.waitlist_has_room()):
            self.add_error(None, forms.ValidationError(
                _("剩余%(left)d个名额，您一行%(party)d人将整体进入候补名单。"
                  "可以减少同行人数，或点“确认加入候补名单”。"),
                code="would_wait", params={"left": left, "party": party},
            ))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        on_site = {"companions": data.get("companions", 0),
                   "with_minors": data.get("with_minors", False)}
        return {**{name: data[name] for name in self.person_fields},
                **{name: data[name] for name in self.service_fields if name not in on_site},
                **on_site}

    def clean(self):
        data = super().clean()
        self._warn_before_waiting(data)
        if data.get("with_minors"):
            if not data.get("companions"):
                self.add_error(
                    "with_minors", _("未成年人须作为同行人报名，请选择同行人数。")
                )
            if not data.get("guardian_confirmed"):
                self.add_error(
                    "guardian_confirmed", _("未成年人须由监护人陪同参观，请确认。")
                )
        return data


class ReceptionSignupForm(PersonForm):
    category = forms.ChoiceField(
        label=_("诉求类别"),
        choices=[("", _("请选择")), *ReceptionCase.Category.choices],
        error_messages={"required": _("请选择诉求类别。")},
    )
    description = CleanCharField(
        label=_("问题描述"),
        min_length=20,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("20–1000字。请说明发生了什么、从什么时候开始、在什么地点。"),
        error_messages={
            "required": _("请描述您遇到的问题。"),
            "min_length": _(
                "请至少写%(limit_value)d个字，以便我们提前了解情况（现在是%(show_value)d个字）。"
            ),
            "max_length": _("最多%(limit_value)d个字（现在是%(show_value)d个字）。"),
        },
    )
    account = CleanCharField(
        label=_("涉及的号码或宽带账号"),
        max_length=40,
        error_messages={"required": _("请填写涉及的手机号码或宽带账号。")},
    )
    raised_with_10086 = forms.BooleanField(label=_("已向10086反映过"), required=False)
    ticket_number = CleanCharField(
        label=_("10086工单号（选填）"), max_length=40, required=False,
        help_text=_("可在10086短信或中国移动App中查看。"),
    )
    contact_mode = forms.ChoiceField(
        label=_("接待方式"),
        choices=ReceptionCase.ContactMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择接待方式。")},
    )
    expected_outcome = CleanCharField(
        label=_("期望结果（选填）"), max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        if session.is_online:
            self.fields["contact_mode"].choices = [
                c for c in ReceptionCase.ContactMode.choices
                if c[0] != ReceptionCase.ContactMode.ONSITE
            ]
        self.layout(
            Fieldset(_("您要反映的问题"), "category", "description", "account",
                     "raised_with_10086", "ticket_number", "expected_outcome"),
            Fieldset(_("接待方式"), "contact_mode"),
        )

    def clean_account(self):
        account = "".join(self.cleaned_data["account"].split())
        if len(account) < 5 or not set(account) <= ACCOUNT_CHARS:
            raise forms.ValidationError(
                _("请填写手机号码或宽带账号（字母、数字，5–40位）。"), code="invalid"
            )
        return account

    def clean_ticket_number(self):
        ticket = "".join(self.cleaned_data["ticket_number"].split())
        if ticket and not set(ticket) <= ACCOUNT_CHARS:
            raise forms.ValidationError(_("工单号只能包含字母和数字。"), code="invalid")
        return ticket

    def clean(self):
        data = super().clean()
        if not data.get("raised_with_10086"):
            data["ticket_number"] = ""
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        reception = {
            key: data[key]
            for key in ("category", "description", "account", "raised_with_10086",
                        "ticket_number", "contact_mode", "expected_outcome")
        }
        return {**super().service_kwargs(), "reception": reception}


class OfficerApplicationForm(PersonForm):
    is_customer = forms.BooleanField(label=_("我是中国移动客户"), required=False)
    birth_year = forms.IntegerField(
        label=_("出生年份"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("请填写出生年份。"),
            "invalid": _("请填写四位数的出生年份，例如 1990。"),
        },
    )
    region = forms.ModelChoiceField(
        label=_("所在城市"),
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=_("请选择"),
        error_messages={"required": _("请选择城市。"),
                        "invalid_choice": _("该城市暂不招募服务体验官。")},
    )
    occupation = forms.ChoiceField(
        label=_("职业"),
        choices=[("", _("请选择")), *OfficerApplication.Occupation.choices],
        error_messages={"required": _("请选择职业。")},
    )
    services = RowsChoiceField(
        label=_("使用的业务（可多选）"),
        queryset=ThemeItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tenure = forms.ChoiceField(
        label=_("入网时长（选填）"),
        choices=[("", _("请选择")), *OfficerApplication.Tenure.choices],
        required=False,
    )
    theme = forms.ModelChoiceField(
        label=_("意向主题（选填）"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("没有特别偏好"),
        widget=ContentSelect(content_field="name"),
    )
    participation = forms.ChoiceField(
        label=_("参与方式"),
        choices=OfficerApplication.Participation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择参与方式。")},
    )
    motivation = CleanCharField(
        label=_("报名理由"),
        min_length=50,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("50–500字：您为什么想当服务体验官，想重点体验什么。"),
        error_messages={
            "required": _("请填写报名理由。"),
            "min_length": _("请至少写%(limit_value)d个字（现在是%(show_value)d个字）。"),
            "max_length": _("最多%(limit_value)d个字（现在是%(show_value)d个字）。"),
        },
    )
    code_accepted = forms.BooleanField(
        label=_("我接受服务体验官守则，并对体验中接触到的未公开信息保密。"),
        error_messages={"required": _("请阅读并接受服务体验官守则。")},
    )

    service_fields = ("is_customer", "birth_year", "region", "occupation", "services", "tenure",
                      "theme", "participation", "motivation", "code_accepted")

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.fields["region"].queryset = Region.objects.filter(
            officer_quotas__activity=activity
        ).order_by("officer_quotas__order", "code")
        self.fields["services"].queryset = ThemeItem.objects.filter(
            theme__campaign_id=activity.campaign_id
        ).order_by("theme__order", "order", "id")
        self.fields["services"].label_from_instance = content_label("name")
        self.fields["theme"].queryset = Theme.objects.filter(campaign_id=activity.campaign_id)
        self.layout(
            Fieldset(_("个人情况"), "is_customer", "birth_year", "region", "occupation", "tenure"),
            Fieldset(_("体验意向"), "services", "theme", "participation", "motivation",
                     "code_accepted"),
        )

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        low = this_year - OfficerApplication.MAX_AGE
        high = this_year - OfficerApplication.MIN_AGE
        if not low <= year <= high:
            raise forms.ValidationError(
                _("服务体验官须年满18周岁、不超过65周岁（出生年份 %(low)d–%(high)d）。"),
                code="age",
                params={"low": low, "high": high},
            )
        return year


class LookupForm(FocusFirstErrorMixin, HoneypotFormMixin):
    phone = MobileNumberField(error_messages={"required": _("请填写报名时的手机号码。")})
    reference = forms.CharField(
        label=_("报名编号"),
        max_length=20,
        help_text=_("8位字母和数字，见报名确认页或邮件，例如 K7MX-Q4PA。"),
        error_messages={"required": _("请填写报名编号。")},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("phone", "reference", _honeypot())

    def clean_reference(self):
        return normalize_code(self.cleaned_data["reference"])

    def service_kwargs(self) -> dict:
        return {"phone": self.cleaned_data["phone"], "reference": self.cleaned_data["reference"]}


class NumberSignInForm(PhoneCodeMixin, FocusFirstErrorMixin, HoneypotFormMixin):
    """我的: a mobile number and the SMS code sent to it (always, whatever SMS_VERIFY says:
    the page shows everything the number did)."""

    sms_purpose = PhoneCode.Purpose.LOOKUP
    always_verify = True

    phone = MobileNumberField(error_messages={"required": _("请填写手机号码。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("phone", PHONE_CODE, _honeypot())

    def service_kwargs(self) -> dict:
        return {"phone": self.cleaned_data["phone"]}


class DateRangeForm(forms.Form):
    """A filter by local days, both included (staff lists and reports)."""

    date_from = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data
