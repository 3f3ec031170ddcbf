"""The self-service link is a key: it works until SELF_SERVICE_LINK_DAYS after the activity
ended (or after it was sent, whichever is later); afterwards the person signs in with phone +
reference and can have a new link sent, which replaces the old one."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Signup
from tests.factories import SessionFactory, SignupFactory

pytestmark = pytest.mark.django_db


def link_token(message) -> str:
    return re.search(r"/my/link/([\w-]+)/", message.body).group(1)


@pytest.fixture
def signed_up(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup = SignupFactory(session=SessionFactory(), phone="13800138000",
                               email="me@example.com")
    return signup, link_token(mail.outbox[-1])


def opens(token) -> bool:
    response = Client().get(f"/my/link/{token}/", follow=True)
    return "链接无效" not in response.content.decode()


def test_the_link_works_until_the_days_after_the_activity(signed_up, settings):
    signup, token = signed_up
    assert opens(token)
    # The session ended long ago and the link was sent before that: expired.
    session = signup.session
    days = settings.SELF_SERVICE_LINK_DAYS
    session.starts_at = timezone.now() - datetime.timedelta(days=days + 2)
    session.ends_at = session.starts_at + datetime.timedelta(hours=2)
    session.save(update_fields=["starts_at", "ends_at"])
    Signup.objects.filter(pk=signup.pk).update(secret_issued_at=session.starts_at)
    assert not opens(token)


def test_a_new_link_replaces_the_old_one(client, signed_up, django_capture_on_commit_callbacks):
    signup, old = signed_up
    client.post("/my/lookup/", {"phone": "13800138000", "reference": signup.reference})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("campaigns:my_resend", args=[signup.reference]),
                               follow=True)
    assert "新的查看链接已发送到您的邮箱" in response.content.decode()
    new = link_token(mail.outbox[-1])
    assert new != old and opens(new) and not opens(old)


def test_without_a_lookup_no_link_is_sent(client, signed_up):
    signup, _token = signed_up
    sent = len(mail.outbox)
    response = client.post(reverse("campaigns:my_resend", args=[signup.reference]))
    assert response.status_code == 302 and len(mail.outbox) == sent
