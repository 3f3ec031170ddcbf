"""`manage.py feedback_overdue` lists (and with --notify emails) cases past 48 hours."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from feedback import services

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)


def _run(*args):
    out = StringIO()
    call_command("feedback_overdue", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def overdue(submit, moderator):
    late = submit(kind="complaint", now=timezone.now() - 50 * H)
    answered = submit(kind="complaint", now=timezone.now() - 60 * H)
    services.reply_create(feedback=answered, author=moderator, body="您好。")
    submit(kind="complaint")  # within time
    return late


def test_lists_only_open_cases_past_the_deadline(overdue):
    output = _run()
    assert "1 个工单超过48小时未首次回复" in output
    assert overdue.reference in output and "已超时 2小时" in output
    assert len([line for line in output.splitlines() if "\t" in line]) == 1
    assert not mail.outbox


def test_says_so_when_nothing_is_overdue(submit):
    submit(kind="complaint")
    assert "没有超时未回复的工单" in _run("--notify")
    assert not mail.outbox


def test_notify_emails_moderators_without_personal_data(overdue, moderator):
    _run("--notify")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mod@example.com"]
    assert overdue.reference in message.body


def test_notify_uses_the_configured_addresses(overdue, settings):
    settings.FEEDBACK_ALERT_EMAILS = ["duty@example.com"]
    _run("--notify")
    assert mail.outbox[0].to == ["duty@example.com"]
