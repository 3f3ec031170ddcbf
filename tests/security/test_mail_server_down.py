"""A mail server that refuses loses no signup and no reply: the email is retried later.

The failing server is an email backend that raises, with the recipient's address in the
error (as SMTP errors do). Signups and replies are committed; the email task fails, logs ids
and the error's class only, and schedules its next attempt with a growing delay; a later
run with a working server delivers.
"""

import datetime
import logging
import re

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaigns.models import Signup
from campaigns.refcodes import hash_secret
from feedback import services as feedback_services
from feedback.models import Reply
from tests.conftest import run_worker
from tests.factories import ModeratorFactory, SessionFactory, ThemeFactory

NAME, PHONE, EMAIL = "林晓雨", "13912345678", "linxiaoyu@example.com"
PERSONAL = (NAME, PHONE, "139-1234-5678", EMAIL, "linxiaoyu")


class RefusingEmailBackend(BaseEmailBackend):
    """A mail server that refuses every message, naming the recipient in its error."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(f"SMTP refused {email_messages[0].to[0]}")


REFUSING = f"{__name__}.RefusingEmailBackend"


def sign_up(client, session):
    return client.post(
        reverse("campaigns:signup", args=[session.activity.slug, session.pk]),
        {
            "name": NAME,
            "phone": "139-1234-5678",
            "email": EMAIL,
            "companions": "0",
            "rules_accepted": "on",
            "consent": "on",
        },
    )


def assert_nothing_personal(text: str):
    for value in PERSONAL:
        assert value not in text


def emails():
    """The email tasks (a signup also queues its confirmation SMS, which works here)."""
    return DBTaskResult.objects.filter(task_path="campaigns.notifications.send_notification")


def make_due(result: DBTaskResult):
    """Time passes: the scheduled retry becomes due (the worker runs what is due by now)."""
    DBTaskResult.objects.filter(pk=result.pk).update(run_after=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_signup_is_kept_and_its_email_retried_until_the_server_answers(
    client, database_queue, caplog
):
    session = SessionFactory()
    with override_settings(EMAIL_BACKEND=REFUSING):
        response = sign_up(client, session)
        assert response.status_code == 302
        signup = Signup.objects.get()
        assert signup.phone == PHONE and signup.status == Signup.Status.CONFIRMED

        first = emails().get()
        # Besides the ids: the request's id (for the logs) and the key that makes the send
        # idempotent; both travel with the retries.
        envelope = {"delivery_key": first.args_kwargs["kwargs"]["delivery_key"],
                    "request_id": response["X-Request-ID"]}
        assert first.args_kwargs == {
            "args": [],
            "kwargs": {"kind": "signup_created", "record_id": signup.pk, **envelope},
        }

        with caplog.at_level(logging.INFO):
            run_worker()

    first.refresh_from_db()
    assert first.status == "FAILED"
    assert first.exception_class_path == "config.tasks.TaskFailed"
    assert_nothing_personal(first.traceback)
    assert "ConnectionRefusedError" in first.traceback

    retry = emails().exclude(pk=first.pk).get()
    assert retry.status == "READY"
    assert retry.args_kwargs["kwargs"] == {
        "kind": "signup_created", "record_id": signup.pk, "attempt": 2, **envelope
    }
    delay = retry.run_after - timezone.now()
    assert datetime.timedelta(seconds=50) < delay <= datetime.timedelta(seconds=60)

    assert f"send_notification(kind=signup_created record_id={signup.pk}) failed" in caplog.text
    assert "ConnectionRefusedError" in caplog.text and "retrying in 60 s" in caplog.text
    assert_nothing_personal(caplog.text)
    assert mail.outbox == []

    # Not due yet: the worker leaves it alone.
    run_worker()
    retry.refresh_from_db()
    assert retry.status == "READY" and mail.outbox == []

    make_due(retry)
    run_worker()  # the test settings' locmem backend: a server that works again

    retry.refresh_from_db()
    assert retry.status == "SUCCESSFUL"
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    token = re.search(r"/my/link/([\w-]+)/", mail.outbox[0].body).group(1)
    signup.refresh_from_db()
    assert signup.secret_hash == hash_secret(token)
    assert Client().get(f"/my/link/{token}/", follow=True).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_retries_wait_longer_each_time_and_stop_after_the_last(database_queue, caplog, settings):
    settings.EMAIL_BACKEND = REFUSING
    session = SessionFactory()
    client = Client()
    sign_up(client, session)
    signup = Signup.objects.get()

    delays = []
    for _attempt in range(len(settings.EMAIL_RETRY_DELAYS) + 1):
        with caplog.at_level(logging.WARNING):
            run_worker()
        pending = list(DBTaskResult.objects.filter(status="READY"))
        if not pending:
            break
        (retry,) = pending
        delays.append(round((retry.run_after - timezone.now()).total_seconds(), -1))
        make_due(retry)

    assert delays == [60, 300, 1800, 7200]
    assert DBTaskResult.objects.filter(status="FAILED").count() == 5
    assert "attempt 5 of 5: giving up" in caplog.text
    assert_nothing_personal(caplog.text)
    assert Signup.objects.filter(pk=signup.pk).exists() and mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_official_reply_is_kept_and_its_email_retried(database_queue, caplog):
    moderator = ModeratorFactory()
    feedback = feedback_services.feedback_submit(
        theme=ThemeFactory(), kind="complaint", overall_score=3, recommend_score=2,
        comment="信号太差。", wants_reply=True, name=NAME, phone=PHONE, email=EMAIL, consent=True,
    )
    with override_settings(EMAIL_BACKEND=REFUSING):
        feedback_services.reply_create(feedback=feedback, author=moderator, body="已为您处理。")
        with caplog.at_level(logging.INFO):
            run_worker()

    assert Reply.objects.filter(feedback=feedback).count() == 1
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["feedback_id"] == feedback.pk
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert f"notify_customer(feedback_id={feedback.pk} reply_id=" in caplog.text
    assert_nothing_personal(caplog.text)

    make_due(retry)
    run_worker()
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert "已为您处理" in mail.outbox[0].body


@pytest.mark.django_db
def test_without_a_queue_the_page_still_answers_and_the_log_stays_clean(
    client, caplog, django_capture_on_commit_callbacks
):
    """The immediate backend (tests only) sends inside the request and cannot retry."""
    session = SessionFactory()
    with (
        override_settings(EMAIL_BACKEND=REFUSING),
        caplog.at_level(logging.INFO),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = sign_up(client, session)

    assert response.status_code == 302
    assert Signup.objects.filter(phone=PHONE).exists()
    assert "cannot schedule a retry" in caplog.text
    assert_nothing_personal(caplog.text)
