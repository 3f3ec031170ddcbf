"""Chinese copy uses full-width punctuation (，：；？！（）); what customers type stays as typed.

A Chinese sentence with an ASCII comma or colon between two characters ("很抱歉,该场次已满")
looks like a typing slip. The rule is checked where people meet the copy — every Chinese
public and staff page the demo campaign has (found by following the links), the emails and
the text messages — and at the sources: every Chinese message in the translation catalogue,
the demo data and the templates. What a customer typed is theirs: it is published as typed.
"""

import io
import re
import time
import tokenize
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns import notifications
from campaigns.models import OfficerApplication, ReceptionCase, Signup
from campaigns.sms.catalogue import TEMPLATES
from campaigns.verification import SIGNED_IN_KEY
from feedback import notifications as feedback_notifications
from feedback.models import Feedback
from feedback.services import reply_create
from tests.factories import (
    FeedbackFactory,
    ModeratorFactory,
    OfficerApplicationFactory,
    ReceptionSignupFactory,
    SignupFactory,
    StaffFactory,
)

HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
# An ASCII , : ; ? ! ( ) touching a Chinese character on either side, or standing between
# two of them with spaces around it: "已满,可候补", "原因(选填)", "审核意见: 请", "(已发布".
ASCII_PUNCTUATION = re.compile(
    rf"{HAN}[,:;?!()]|[,:;?!()]{HAN}|{HAN}\s+[,:;?!()]\s*{HAN}|{HAN}\s*[,:;?!()]\s+{HAN}"
)


def offenders(text: str) -> list[str]:
    """Each ASCII punctuation mark in Chinese text, with a few characters around it."""
    return [
        text[max(m.start() - 8, 0): m.end() + 8].replace("\n", " ")
        for m in ASCII_PUNCTUATION.finditer(text)
    ]


def test_the_check_catches_ascii_punctuation_and_passes_full_width():
    assert offenders("很抱歉,该场次已满。")
    assert offenders("电子邮箱(选填)")
    assert offenders("审核意见: 请补充")
    assert offenders("报名编号:WV39")
    assert not offenders("很抱歉，该场次已满。电子邮箱（选填）审核意见：请补充")
    assert not offenders("Figures as of 10:00 (Beijing time), all cases.")
    assert not offenders("优+体验 · 5G视频客服 · 1–10分 · 2026-11-26 10:00")


# --- Sources --------------------------------------------------------------------------


def test_every_chinese_message_in_the_catalogue_uses_full_width_punctuation():
    """Every translatable string, from templates and Python alike, is a msgid here."""
    po = polib.pofile(str(settings.BASE_DIR / "locale/en/LC_MESSAGES/django.po"))
    bad = {
        e.msgid: found
        for e in po
        if not e.obsolete
        for found in [offenders(e.msgid) + offenders(e.msgid_plural or "")]
        if found
    }
    assert not bad, bad


def python_strings(path) -> list[str]:
    """The string literals of a module (not its comments)."""
    source = path.read_text(encoding="utf-8")
    return [
        tok.string
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.STRING
    ]


DEMO_MODULES = ["campaigns/demo.py", "feedback/demo.py", "feedback/officers/demo.py"]


@pytest.mark.parametrize("module", DEMO_MODULES)
def test_demo_data_and_text_messages_use_full_width_punctuation(module):
    """The demo campaign is the site people first see; its data is copy too.

    Docstrings are English prose (with Chinese names in ASCII brackets) and are left out.
    """
    strings = [s for s in python_strings(settings.BASE_DIR / module)
               if not s.startswith(('"""', "'''"))]
    bad = [found for s in strings for found in offenders(s)]
    assert not bad, bad


def test_templates_use_full_width_punctuation():
    """Text written straight into templates (not only through {% translate %})."""
    bad = {}
    for path in sorted((settings.BASE_DIR / "templates").rglob("*")):
        if path.suffix in {".html", ".txt"}:
            text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", " ", path.read_text(encoding="utf-8"))
            if found := offenders(text):
                bad[str(path.relative_to(settings.BASE_DIR))] = found
    assert not bad, bad


# --- Pages ------------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """Text a visitor sees or hears (text nodes and labels in attributes), and the links."""

    ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "content"}

    def __init__(self):
        super().__init__()
        self.chunks, self.links, self._skip, self._tag = [], [], 0, ""

    def handle_starttag(self, tag, attrs):
        self._tag = tag
        if tag in {"script", "style"}:
            self._skip += 1
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.chunks.append(values["value"])
        if "help-tooltip" in values.get("class", ""):
            return  # Django's admin writes "(help text)" in the alt of its help icon
        self.chunks += [v for k, v in attrs if k in self.ATTRIBUTES and v and k != "content"]
        if tag == "meta" and values.get("name") == "description":
            self.chunks.append(values.get("content", ""))

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if self._tag == "b" and data.endswith(":"):
            return  # Django's admin heads each stacked inline form "<b>场次:</b>" (its template)
        if not self._skip and data.strip():
            self.chunks.append(data.strip())


SKIP = re.compile(
    r"^/(en|static|media)/|\.(ics|csv|xlsx|png|jpe?g|webp)$|/(export|download|logout|sign-out|"
    r"calendar)|^/v/|^/my/link/|/history/|/delete/|/password/|/2fa/"
)


def shape(path: str) -> str:
    """Pages that differ only in an id or reference are one page for this test."""
    return re.sub(r"\d+|[A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{8}", "#", urlsplit(path).path)


def crawl(client, start: list[str], *, within: tuple[str, ...], per_shape: int = 1,
          limit: int = 250) -> tuple[dict[str, list[str]], set[str]]:
    """Follow the site's own links from `start` (GET only): the offenders on each page, and
    the pages read."""
    queue, seen, shapes, bad = list(start), set(), {}, {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in seen or SKIP.search(path) or not path.startswith(within):
            continue
        if shapes.get(shape(url), 0) >= per_shape:
            continue
        seen.add(url)
        shapes[shape(url)] = shapes.get(shape(url), 0) + 1
        response = client.get(url)
        if response.status_code not in (200, 404) or "html" not in response.get("Content-Type", ""):
            continue
        parser = VisibleText()
        parser.feed(response.content.decode())
        if found := [f for chunk in parser.chunks for f in offenders(chunk)]:
            bad[url] = found
        for href in parser.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.scheme in ("", "http") and parts.netloc in ("", "testserver"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return bad, seen


PUBLIC = ("/",)


@pytest.mark.django_db
def test_public_pages_use_full_width_punctuation(client, demo_data):
    start = ["/", reverse("campaigns:activity_list"), reverse("feedback:wall"),
             reverse("feedback:commitment"), reverse("feedback:create"),
             reverse("feedback:status"), reverse("campaigns:my_lookup"),
             reverse("campaigns:privacy"), reverse("officers:certificate_lookup"),
             "/no-such-page/"]
    bad, seen = crawl(client, start, within=PUBLIC)
    assert len(seen) > 20, seen  # the crawl found the site
    # 我的 and each record's own pages, signed in by numbers that booked a place, waited,
    # booked a GM reception and became an officer (体验官专区).
    records = [
        Signup.objects.filter(status=Signup.Status.CONFIRMED, reception=None).first(),
        Signup.objects.filter(status=Signup.Status.WAITLISTED).first(),
        ReceptionCase.objects.exclude(outcome="").first().signup,
        OfficerApplication.objects.filter(status=OfficerApplication.Status.ACCEPTED).first(),
    ]
    for record in records:
        session = client.session
        session[SIGNED_IN_KEY] = {"phone": record.phone, "until": time.time() + 600}
        session.save()
        start = [reverse("feedback:mine"), reverse("officers:zone"),
                 reverse("campaigns:signup_done", args=[record.reference])]
        mine, seen = crawl(client, start, within=("/my/", "/signup/done/", "/officer/"),
                           per_shape=6)
        assert len(seen) > 2, seen
        bad |= mine
    assert not bad, bad


def test_staff_pages_use_full_width_punctuation(client, demo_data):
    client.force_login(StaffFactory())
    start = [reverse("feedback:staff_home"), reverse("feedback:queue"),
             reverse("feedback:dashboard"), reverse("feedback:report"),
             reverse("officers:review_queue"), reverse("admin:index")]
    bad, seen = crawl(client, start, within=("/staff/", "/" + settings.ADMIN_PATH), limit=400)
    assert len(seen) > 40, seen
    assert not bad, bad


# --- Emails and text messages -------------------------------------------------------------


def email_texts(message) -> list[str]:
    return [message.subject, message.body]


@pytest.mark.django_db
def test_emails_use_full_width_punctuation(settings):
    settings.CAMPAIGN_ALERT_EMAILS = ["duty@example.com"]
    signup = SignupFactory(email="wang@example.com", companions=1)
    case = ReceptionSignupFactory(email="li@example.com").reception
    case.outcome = "经核查，已为您退费。"
    case.save(update_fields=["outcome"])
    application = OfficerApplicationFactory(email="na@example.com")
    messages = [
        notifications.build_message(kind, record.pk)
        for kind, record in [
            ("signup_created", signup), ("signup_promoted", signup),
            ("signup_cancelled", signup), ("link_renewed", signup),
            ("reception_replied", case), ("application_submitted", application),
            ("application_link_renewed", application), ("application_reviewed", application),
        ]
    ]
    feedback = FeedbackFactory(email="zhao@example.com", wants_reply=True, name="赵敏",
                               phone="13800138000", consent_at=timezone.now())
    reply = reply_create(feedback=feedback, author=ModeratorFactory(), body="感谢您的建议。")
    messages.append(feedback_notifications.customer_message(feedback_id=feedback.pk,
                                                            reply_id=reply.pk))
    messages += mail.outbox
    bad = {m.subject: found for m in messages if m
           for found in [[f for t in email_texts(m) for f in offenders(t)]] if found}
    assert len([m for m in messages if m]) >= 8
    assert not bad, bad


def test_text_messages_use_full_width_punctuation():
    sample = {"code": "123456", "purpose": "报名", "activity": "探秘5G网络大脑",
              "time": "11-28 14:00", "reference": "WV39-F9KP", "result": "已被录用",
              "host": "fuwu.example.cn", "task": "地铁5G网络测试", "subject": "反馈",
              "case": "WV39-F9KP · 宽带故障", "level": "已升级至省公司"}
    bad = {
        kind: found
        for kind, template in TEMPLATES.items()
        for found in [offenders(template.text.format(**sample))]
        if found
    }
    assert not bad, bad


# --- Customers' own text ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_customers_ascii_punctuation_is_published_as_typed(client):
    typed = "网速很快,就是晚上有点卡!谢谢(真心的)"
    FeedbackFactory(comment=typed, public_comment=typed, state=Feedback.State.PUBLISHED)
    page = client.get(reverse("feedback:wall")).content.decode()
    assert typed in page
    assert "网速很快，就是晚上有点卡" not in page


@pytest.mark.django_db
def test_a_reception_case_keeps_the_customers_punctuation(client):
    case = ReceptionSignupFactory(
        reception={**ReceptionSignupFactory.reception.function(),
                   "description": "宽带掉线,报修两次(10月)仍未解决!"}
    ).reception
    case.refresh_from_db()
    assert case.description == "宽带掉线,报修两次(10月)仍未解决!"
    assert ReceptionCase.objects.filter(description__contains="掉线,报修").exists()
