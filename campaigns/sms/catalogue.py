"""Every text message the site sends: its words, its variables, and the one-segment budget.

A mainland SMS segment is 70 characters, the 【sign】 included; a longer message is split and
billed twice, and some phones show the parts out of order. So each template here fits in one
segment with every variable at its longest (`max_length`, values cut with "…" beyond it) and a
sign of up to SIGN_MAX_CHARS characters; tests/campaigns/test_sms_templates.py checks this.

The same words are registered with the provider as the template `CAMPAIGN_SMS_TEMPLATE_<KIND>`
(variables written ${name} at Alibaba Cloud, {1}, {2}… in this order at Tencent Cloud); what
the console, locmem and file backends show is rendered here. Messages are in Chinese: a
provider's template has one fixed text.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation

from .backends import SmsMessage

SEGMENT_CHARS = 70
SIGN_MAX_CHARS = 6
ELLIPSIS = "…"


@dataclass(frozen=True)
class SmsTemplate:
    text: str  # str.format() placeholders, in the variables' order
    variables: tuple[tuple[str, int], ...]  # (name, max_length)
    about: str  # when it is sent (docs/sms.md lists these)


TEMPLATES = {
    "code": SmsTemplate(
        "验证码{code}，用于优质服务体验季{purpose}，5分钟内有效，请勿告诉他人。",
        (("code", 6), ("purpose", 4)),
        "A one-time code (signup, 我的, feedback contact).",
    ),
    "signup_confirmed": SmsTemplate(
        "您已报名{activity}，时间{time}，报名编号{reference}。查看或取消请到网站“我的”。",
        (("activity", 14), ("time", 11), ("reference", 9)),
        "A place is confirmed (open day, or a GM-reception slot).",
    ),
    "signup_promoted": SmsTemplate(
        "候补成功：{activity}{time}，编号{reference}。不能参加请到“我的”取消。",
        (("activity", 14), ("time", 11), ("reference", 9)),
        "A waiting-list signup got a place.",
    ),
    "application_result": SmsTemplate(
        "您的服务体验官报名（编号{reference}）{result}。详情请到网站“我的”查看。",
        (("reference", 9), ("result", 5)),
        "Staff accepted, rejected or reserve-listed an officer application.",
    ),
    "reception_video": SmsTemplate(
        "总经理接待日{time}开始，视频入口{host}/v/{code}",
        (("time", 11), ("host", 24), ("code", 8)),
        "An online GM-reception booking by video is confirmed (the link opens the meeting).",
    ),
    "task_opened": SmsTemplate(
        "您有新的服务体验官任务，请登录网站“体验官专区”查看并提交体验报告。",
        (),
        "Staff published an experience task that targets the officer.",
    ),
    "report_returned": SmsTemplate(
        "您的体验报告（{task}）需要补充修改，请登录网站“体验官专区”查看审核意见。",
        (("task", 16),),
        "Staff sent an officer's experience report back with a comment.",
    ),
    "escalation": SmsTemplate(
        "客户诉求{case}超过首次回复期限仍未回复，{level}，请尽快处理。",
        (("case", 22), ("level", 8)),
        "A case the staff member's level answers climbed the escalation ladder (staff only).",
    ),
    "reply": SmsTemplate(
        "您的{subject}（编号{reference}）已有正式回复，请到网站“我的”或进度查询查看。",
        (("subject", 5), ("reference", 9)),
        "Staff published the official reply to a feedback or a GM-reception case.",
    ),
}


def fit(value, max_length: int) -> str:
    """`value` as text, cut to `max_length` characters (the last one then "…")."""
    text = " ".join(str(value).split())
    return text if len(text) <= max_length else text[: max_length - 1] + ELLIPSIS


def short_time(moment) -> str:
    """12月5日14:30 in the site's time zone (at most 11 characters)."""
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日{local:%H:%M}"


def site_host() -> str:
    return urlsplit(settings.SITE_URL).netloc


def signed(text: str) -> str:
    return f"【{settings.SMS_SIGN_NAME}】{text}"


def build(kind: str, phone: str, **values) -> SmsMessage:
    """The message `kind` to `phone`, each variable fitted to its length. Values may be lazy
    translations: they are rendered in Chinese, as the provider's template is."""
    template = TEMPLATES[kind]
    with translation.override("zh-hans"):
        params = {name: fit(values[name], length) for name, length in template.variables}
    return SmsMessage(phone=phone, kind=kind, params=params,
                      text=signed(template.text.format(**params)))
