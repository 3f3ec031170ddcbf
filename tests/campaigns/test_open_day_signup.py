"""走进移动: booking a place for yourself and companions from the phone."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from campaigns.models import AuditEntry, Signup
from campaigns.refcodes import hash_secret
from tests.factories import SessionFactory, SignupFactory

pytestmark = pytest.mark.django_db


def signup_url(session):
    return reverse("campaigns:signup", args=[session.activity.slug, session.pk])


def valid_data(**overrides):
    data = {
        "name": "王小明",
        "phone": "+86 138-0013-8000",
        "email": "wang@example.com",
        "companions": "2",
        "interests": "5G基站",
        "accessibility_needs": "",
        "rules_accepted": "on",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_person_books_places_and_sees_confirmation_with_reference(client):
    session = SessionFactory(capacity=30)
    response = client.post(signup_url(session), valid_data())
    signup = Signup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:signup_done", args=[signup.reference])
    assert signup.phone == "13800138000"
    assert signup.companions == 2 and signup.status == Signup.Status.CONFIRMED
    assert signup.rules_accepted_at and signup.consent_at and signup.privacy_version == "2026-11-26"
    session.refresh_from_db()
    assert session.places_taken == 3

    page = client.get(response["Location"]).content.decode()
    assert signup.reference_display in page
    assert "报名成功" in page and "身份证件" in page


def test_confirmation_email_has_reference_secret_link_and_calendar_file(
    client, django_capture_on_commit_callbacks
):
    session = SessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(signup_url(session), valid_data())
    signup = Signup.objects.get()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wang@example.com"]
    assert signup.reference_display in message.body
    token = re.search(r"/my/link/([\w-]+)/", message.body).group(1)
    assert len(token) >= 40 and signup.reference not in token
    assert signup.secret_hash == hash_secret(token) and token not in signup.secret_hash
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in content and "DTSTART:" in content

    stranger = Client()
    response = stranger.get(f"/my/link/{token}/", follow=True)
    assert response.status_code == 200
    assert signup.reference_display in response.content.decode()


def test_no_email_given_no_email_sent(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(signup_url(SessionFactory()), valid_data(email=""))
    assert Signup.objects.exists()
    assert mail.outbox == []


def test_signup_form_is_unticked_by_default_and_links_privacy_notice(client):
    page = client.get(signup_url(SessionFactory())).content.decode()
    assert 'name="consent"' in page and "checked" not in page.split('name="consent"')[1][:80]
    assert reverse("campaigns:privacy") in page
    assert 'name="website"' in page and "hp-field" in page


def test_minors_need_a_guardian(client):
    session = SessionFactory()
    response = client.post(signup_url(session), valid_data(with_minors="on"))
    assert response.status_code == 200
    assert "未成年人须由监护人陪同" in response.content.decode()
    assert not Signup.objects.exists()
    response = client.post(
        signup_url(session), valid_data(with_minors="on", guardian_confirmed="on")
    )
    assert response.status_code == 302
    assert Signup.objects.get().with_minors


def test_full_session_offers_the_waiting_list_and_shows_position(client):
    session = SessionFactory(capacity=1)
    SignupFactory(session=session)
    page = client.get(signup_url(session)).content.decode()
    assert "加入候补名单" in page
    response = client.post(signup_url(session), valid_data(companions="0"))
    signup = Signup.objects.get(phone="13800138000")
    assert signup.status == Signup.Status.WAITLISTED
    page = client.get(response["Location"]).content.decode()
    assert "候补第 1 位" in page


def test_second_signup_with_the_same_phone_points_to_self_service(client):
    session = SessionFactory()
    client.post(signup_url(session), valid_data())
    response = client.post(signup_url(session), valid_data(name="王小明二"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "已经报名了该场次" in page
    assert reverse("campaigns:my_lookup") in page
    assert Signup.objects.count() == 1


def test_honeypot_filled_writes_nothing(client):
    response = client.post(signup_url(SessionFactory()), valid_data(website="http://spam"))
    assert response.status_code == 200
    assert "提交未成功，请稍后重试" in response.content.decode()
    assert not Signup.objects.exists()
    assert not AuditEntry.objects.exists()


def test_session_rows_link_to_the_signup_form(client):
    session = SessionFactory()
    page = client.get(session.activity.get_absolute_url()).content.decode()
    assert signup_url(session) in page


class FailingEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_signup_stands_when_email_fails_and_the_log_has_no_personal_data(
    client, caplog, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(signup_url(SessionFactory()), valid_data())
    assert response.status_code == 302
    signup = Signup.objects.get()
    assert "failed" in caplog.text and str(signup.pk) in caplog.text
    assert "wang@example.com" not in caplog.text and "13800138000" not in caplog.text
    assert "王小明" not in caplog.text


def test_english_signup_gets_english_email(client, django_capture_on_commit_callbacks):
    session = SessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en" + signup_url(session), valid_data())
    message = mail.outbox[0]
    assert message.subject.startswith("Signup confirmed")
    assert "You are signed up for" in message.body
    assert "/en/my/link/" in message.body


def test_the_waiting_list_email_says_waiting_list(client, django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=1)
    SignupFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(signup_url(session), valid_data(companions="0"))
    [message] = mail.outbox
    assert "候补" in message.subject and "报名确认" not in message.subject
    assert "候补名单" in message.body


def test_the_confirmation_states_the_party_size(client):
    session = SessionFactory(capacity=30)
    page = client.post(signup_url(session), valid_data(companions="2"), follow=True)
    assert "本人 + 2 位同行人，共 3 人" in page.content.decode()
    alone = SessionFactory(capacity=30)
    page = client.post(signup_url(alone), valid_data(companions="0", phone="13900001111"),
                       follow=True)
    assert "本人 1 人" in page.content.decode()
