"""A sending task that runs twice sends one message: its delivery key is recorded with the send.

(`test_worker_killed_mid_task.py` shows it with real processes; here the task is simply
called again, as a queue that delivers twice or a re-queued task would.)
"""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings

from campaigns.notifications import send_notification
from campaigns.sms.delivery import send_sms
from config.operations.models import Delivery
from config.tasks import TaskFailed
from tests.factories import SignupFactory

pytestmark = pytest.mark.django_db


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("down")


def test_an_sms_task_run_twice_sends_one_message(sms_outbox):
    signup = SignupFactory()
    sms_outbox.clear()
    for _ in range(2):
        send_sms.call(source="signup_confirmed", record_id=signup.pk, delivery_key="k-sms-1")
    assert [m.kind for m in sms_outbox] == ["signup_confirmed"]
    assert list(Delivery.objects.values_list("key", "channel", "kind")) == [
        ("k-sms-1", "sms", "signup_confirmed")]


def test_an_email_task_run_twice_sends_one_email():
    signup = SignupFactory(email="someone@example.com")
    mail.outbox.clear()
    first = send_notification.call(kind="signup_created", record_id=signup.pk,
                                   delivery_key="k-mail-1")
    second = send_notification.call(kind="signup_created", record_id=signup.pk,
                                    delivery_key="k-mail-1")
    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1


def test_two_messages_with_their_own_keys_are_both_sent():
    """A person who asks twice for a new link gets two emails: each queued with its key."""
    signup = SignupFactory(email="someone@example.com")
    mail.outbox.clear()
    for key in ("k-a", "k-b"):
        send_notification.call(kind="link_renewed", record_id=signup.pk, delivery_key=key)
    assert len(mail.outbox) == 2


def test_a_failed_send_records_nothing_so_the_retry_sends():
    signup = SignupFactory(email="someone@example.com")
    mail.outbox.clear()
    with override_settings(EMAIL_BACKEND=f"{__name__}.BrokenMailServer"), \
            pytest.raises(TaskFailed):
        send_notification.call(kind="signup_created", record_id=signup.pk, delivery_key="k-r")
    assert not Delivery.objects.filter(key="k-r").exists()
    send_notification.call(kind="signup_created", record_id=signup.pk, delivery_key="k-r",
                           attempt=2)
    assert len(mail.outbox) == 1


def test_every_queued_sending_task_gets_a_key(sms_outbox, django_capture_on_commit_callbacks):
    """What the services queue carries a key (tests run tasks at once: one Delivery each)."""
    with django_capture_on_commit_callbacks(execute=True):
        SignupFactory(email="someone@example.com")
    assert sorted(Delivery.objects.values_list("channel", "kind")) == [
        ("email", "signup_created"), ("sms", "signup_confirmed")]
