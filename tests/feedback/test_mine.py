"""我的: a number and the SMS code sent to it open, for 30 minutes, everything that number
did, and nothing any other number did; from there it can all be erased in one step."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import verification
from campaigns.models import Signup
from feedback.models import Feedback
from tests.conftest import code_sent_to
from tests.factories import (
    FeedbackFactory,
    OfficerApplicationFactory,
    ReceptionSignupFactory,
    ReplyFactory,
    SessionFactory,
    SignupFactory,
)

pytestmark = pytest.mark.django_db

MINE = "/my/"
PHONE = "13800138000"
OTHER = "13900139000"


def sign_in(client, outbox, capture, phone=PHONE):
    with capture(execute=True):
        client.post(MINE, {"phone": phone, "send_code": "1"})
    return client.post(MINE, {"phone": phone, "sms_code": code_sent_to(outbox, phone)})


@pytest.fixture
def records(db):
    """One of each for PHONE, and the same again for OTHER."""
    made = {}
    for phone in (PHONE, OTHER):
        full = SessionFactory(capacity=1)
        made[phone] = {
            "confirmed": SignupFactory(phone=phone, session=SessionFactory(capacity=5)),
            "holder": SignupFactory(session=full),
            "waiting": SignupFactory(phone=phone, session=full),
            "reception": ReceptionSignupFactory(phone=phone),
            "application": OfficerApplicationFactory(phone=phone),
            "feedback": FeedbackFactory(phone=phone, name="王女士", wants_reply=True,
                                        consent_at=timezone.now(), privacy_version="2026-11-26",
                                        comment=f"基站信号差 {phone}"),
        }
        ReplyFactory(feedback=made[phone]["feedback"], body=f"已为您优化基站 {phone[-4:]}")
    return made


def test_the_page_asks_for_number_and_code_first(client, records):
    page = client.get(MINE).content.decode()
    assert "获取验证码" in page and "短信验证码" in page
    assert records[PHONE]["confirmed"].reference_display not in page


def test_signed_in_it_shows_everything_of_that_number_only(
    client, records, sms_outbox, django_capture_on_commit_callbacks
):
    response = sign_in(client, sms_outbox, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    page = client.get(MINE).content.decode()
    mine, theirs = records[PHONE], records[OTHER]
    for key in ("confirmed", "waiting", "reception", "application"):
        assert mine[key].reference_display in page
        assert theirs[key].reference_display not in page
    assert "候补第 1 位" in page
    assert "已为您优化基站 8000" in page and "9000" not in page.replace("139****9000", "")
    assert "138****8000" in page and PHONE not in page


def test_a_signed_in_number_opens_its_signup_pages_and_no_one_elses(
    client, records, sms_outbox, django_capture_on_commit_callbacks
):
    sign_in(client, sms_outbox, django_capture_on_commit_callbacks)
    own = records[PHONE]["confirmed"]
    theirs = records[OTHER]["confirmed"]
    assert client.get(reverse("campaigns:my_detail", args=[own.reference])).status_code == 200
    assert client.get(reverse("campaigns:my_calendar", args=[own.reference])).status_code == 200
    response = client.get(reverse("campaigns:my_detail", args=[theirs.reference]))
    assert response.status_code == 302 and "/my/lookup/" in response["Location"]
    response = client.post(reverse("campaigns:my_cancel", args=[theirs.reference]))
    theirs.refresh_from_db()
    assert theirs.status == Signup.Status.CONFIRMED


def test_cancel_from_mine(client, records, sms_outbox, django_capture_on_commit_callbacks):
    sign_in(client, sms_outbox, django_capture_on_commit_callbacks)
    own = records[PHONE]["confirmed"]
    client.post(reverse("campaigns:my_cancel", args=[own.reference]))
    own.refresh_from_db()
    assert own.status == Signup.Status.CANCELLED


def test_a_wrong_code_does_not_sign_in(client, records, sms_outbox,
                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(MINE, {"phone": PHONE, "send_code": "1"})
    code = code_sent_to(sms_outbox, PHONE)
    response = client.post(MINE, {"phone": PHONE, "sms_code": f"{(int(code) + 7) % 10**6:06d}"})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert records[PHONE]["confirmed"].reference_display not in client.get(MINE).content.decode()


def test_a_code_sent_for_a_signup_does_not_open_mine(
    client, records, sms_outbox, django_capture_on_commit_callbacks, settings
):
    settings.SMS_VERIFY = True
    session = records[PHONE]["confirmed"].session
    url = reverse("campaigns:signup", args=[session.activity.slug, session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"phone": PHONE, "send_code": "1"})
    response = client.post(MINE, {"phone": PHONE, "sms_code": code_sent_to(sms_outbox, PHONE)})
    assert response.status_code == 200


def test_mine_needs_a_code_even_when_forms_do_not(client, records, settings):
    settings.SMS_VERIFY = False
    response = client.post(MINE, {"phone": PHONE})
    assert response.status_code == 200
    assert "请填写短信验证码" in response.content.decode()


def test_signed_in_state_ends_after_thirty_minutes(
    client, records, sms_outbox, django_capture_on_commit_callbacks, monkeypatch
):
    sign_in(client, sms_outbox, django_capture_on_commit_callbacks)
    reference = records[PHONE]["confirmed"].reference_display
    assert reference in client.get(MINE).content.decode()
    later = time.time() + 30 * 60 + 1
    monkeypatch.setattr(verification.time, "time", lambda: later)
    page = client.get(MINE).content.decode()
    assert reference not in page and "获取验证码" in page


def test_sign_out(client, records, sms_outbox, django_capture_on_commit_callbacks):
    sign_in(client, sms_outbox, django_capture_on_commit_callbacks)
    client.post(reverse("feedback:mine_sign_out"))
    assert records[PHONE]["confirmed"].reference_display not in client.get(MINE).content.decode()


def test_erase_everything_of_the_number(client, records, sms_outbox,
                                        django_capture_on_commit_callbacks):
    sign_in(client, sms_outbox, django_capture_on_commit_callbacks)
    refused = client.post(reverse("feedback:mine_erase"))  # no confirmation ticked
    assert Signup.objects.filter(phone=PHONE).exists()
    assert refused.status_code == 302
    client.post(reverse("feedback:mine_erase"), {"confirm": "1"})
    mine = records[PHONE]
    for key in ("confirmed", "waiting", "reception"):
        signup = Signup.objects.get(pk=mine[key].pk)
        assert signup.erased_at and signup.phone == "" and signup.name == ""
    assert Signup.objects.get(pk=mine["confirmed"].pk).status == Signup.Status.CANCELLED
    feedback = Feedback.objects.get(pk=mine["feedback"].pk)
    assert feedback.phone == "" and feedback.name == "" and PHONE not in feedback.comment
    assert feedback.overall_score == mine["feedback"].overall_score  # the rating stays
    assert Signup.objects.filter(phone=OTHER).count() == 3  # nobody else's
    assert "获取验证码" in client.get(MINE).content.decode()  # signed out


def test_every_page_links_to_mine(client, db):
    for url in ("/", "/activities/", "/feedback/"):
        assert 'href="/my/"' in client.get(url).content.decode()
