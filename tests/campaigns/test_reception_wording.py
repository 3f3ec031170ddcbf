"""Words that fit the thing: a GM-reception slot is 预约, its case 已受理; the party is stated.

A person who booked a 总经理接待日 slot reads "预约成功" on the confirmation page, in 我的, on
the booking's own page and in the email's subject; the case's first state is "已受理", as
people say it (not the internal "受理"). An open-day party reads its size ("本人 + 1 位同行人")
on the confirmation page and in the confirmation email.
"""

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import Activity, ReceptionCase
from campaigns.verification import SIGNED_IN_KEY
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

PHONE = "13900001111"


def booking_data(**overrides):
    return {
        "name": "陈先生", "phone": PHONE, "email": "chen@example.com",
        "category": "network_signal",
        "description": "小区地下车库和电梯里完全没有信号，已经持续三个月，影响日常通话。",
        "account": PHONE, "contact_mode": "onsite", "consent": "on", **overrides,
    }


def open_day_data(**overrides):
    return {
        "name": "孙女士", "phone": PHONE, "email": "sun@example.com", "companions": "1",
        "rules_accepted": "on", "consent": "on", **overrides,
    }


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as the site does it: emails go once the transaction commits."""

    def _post(url, data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **kwargs)

    return _post


def signup_url(session):
    return reverse("campaigns:signup", args=[session.activity.slug, session.pk])


@pytest.fixture
def slot():
    return SessionFactory(
        activity__kind=Activity.Kind.GM_RECEPTION, activity__title="总经理接待日 · 北京",
        capacity=1, waitlist_enabled=False,
    )


def test_the_case_starts_as_received_in_peoples_words():
    assert ReceptionCase.Status.RECEIVED.label == "已受理"


def test_a_booking_reads_booked_and_received_everywhere_the_person_looks(client, post, slot):
    done = post(signup_url(slot), booking_data(), follow=True).content.decode()
    assert "预约成功" in done and "报名成功" not in done
    reference = ReceptionCase.objects.get().signup.reference

    own = client.get(reverse("campaigns:my_detail", args=[reference])).content.decode()
    assert "预约成功" in own and "已受理" in own and "报名成功" not in own
    assert "取消预约" in own and "确认取消" in own and "取消报名" not in own

    session = client.session
    session[SIGNED_IN_KEY] = {"phone": PHONE, "until": 2**40}
    session.save()
    mine = client.get(reverse("feedback:mine")).content.decode()
    assert "预约成功" in mine and "接待日诉求：网络信号 · 已受理" in mine


def test_the_booking_email_says_booked_and_when_the_first_reply_is_due(client, post, slot):
    post(signup_url(slot), booking_data())
    case = ReceptionCase.objects.get()
    (message,) = mail.outbox
    assert message.subject == "预约成功：总经理接待日"
    assert "您已成功预约“总经理接待日 · 北京”。" in message.body
    due = f"{case.first_reply_due_at.astimezone():%Y-%m-%d}"
    assert "最迟在" in message.body and due in message.body
    assert "人数" not in message.body  # one person meets the manager: no party to state


def test_cancelling_a_booking_emails_a_cancelled_booking(client, post, slot):
    post(signup_url(slot), booking_data())
    reference = ReceptionCase.objects.get().signup.reference
    post(reverse("campaigns:my_cancel", args=[reference]), {})
    message = mail.outbox[-1]
    assert message.subject == "预约已取消：总经理接待日"
    assert "您的预约" in message.body and "已取消" in message.body


def test_the_open_day_confirmation_page_and_email_state_the_party(post):
    session = SessionFactory(capacity=30)
    page = post(signup_url(session), open_day_data(), follow=True).content.decode()
    assert "本人 + 1 位同行人，共 2 人" in page
    (message,) = mail.outbox
    assert message.subject == "报名确认：优质服务体验季"
    assert "人数：本人 + 1 位同行人，共 2 人" in message.body


def test_a_person_alone_reads_one_person(post):
    session = SessionFactory(capacity=30)
    post(signup_url(session), open_day_data(companions="0"))
    assert "人数：本人 1 人" in mail.outbox[0].body


def test_the_english_email_states_the_party_in_english(post):
    session = SessionFactory(capacity=30)
    post("/en" + signup_url(session), open_day_data(companions="2"))
    body = mail.outbox[0].body
    assert "Party: " in body and "人数" not in body
