"""Emails wait in the database queue until `manage.py db_worker` sends them.

Development needs no extra service: the queue is a table. The rows hold ids, never a name,
number, address or link token.
"""

import json

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from campaigns import services
from feedback import services as feedback_services
from tests.conftest import run_worker
from tests.factories import ModeratorFactory, SessionFactory, ThemeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def signup(**overrides):
    values = {
        "session": SessionFactory(),
        "name": "赵一鸣",
        "phone": "13700001111",
        "email": "zhao@example.com",
        "rules_accepted": True,
    }
    values.update(overrides)
    return services.signup_create(**values)


def test_a_signup_queues_its_email_and_the_worker_sends_it(database_queue, sms_outbox):
    record = signup()

    row = DBTaskResult.objects.get(task_path="campaigns.notifications.send_notification")
    assert row.status == "READY"
    text = DBTaskResult.objects.get(task_path="campaigns.sms.delivery.send_sms")
    kwargs = text.args_kwargs["kwargs"]
    # A random key that makes the send idempotent (operations/ledger.py): no personal data.
    assert len(kwargs.pop("delivery_key")) == 32
    assert kwargs == {"source": "signup_confirmed", "record_id": record.pk}
    assert mail.outbox == [] and sms_outbox == []  # nothing is sent in the request

    output = run_worker()

    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and row.return_value is True
    assert [m.to for m in mail.outbox] == [["zhao@example.com"]]
    assert record.reference_display in mail.outbox[0].body
    assert [(m.kind, m.phone) for m in sms_outbox] == [("signup_confirmed", "13700001111")]
    assert "赵一鸣" not in output and "13700001111" not in output


def complaint(**overrides):
    values = {
        "theme": ThemeFactory(), "kind": "complaint", "overall_score": 3, "recommend_score": 2,
        "comment": "信号太差。",
    }
    values.update(overrides)
    return feedback_services.feedback_submit(**values)


def test_queue_rows_hold_ids_not_personal_data(database_queue, sms_outbox):
    record = signup()
    services.signup_cancel(signup=record)
    feedback = complaint(
        wants_reply=True, name="赵一鸣", phone="13700001111", email="zhao@example.com",
        consent=True,
    )
    feedback_services.reply_create(feedback=feedback, author=ModeratorFactory(), body="您好。")
    run_worker()

    rows = list(DBTaskResult.objects.values("args_kwargs", "return_value", "traceback"))
    assert len(rows) == 5  # 3 emails, 2 text messages (signup confirmed, reply)
    stored = json.dumps(rows, ensure_ascii=False)
    for value in ("赵一鸣", "13700001111", "zhao@example.com", "/my/link/"):
        assert value not in stored
    assert len(mail.outbox) == 3
    assert [m.kind for m in sms_outbox] == ["reply"]  # cancelled before the worker ran


def test_an_erased_signup_gets_no_email_from_a_late_task(database_queue, sms_outbox):
    record = signup()
    services.signup_cancel(signup=record)
    services.personal_data_erase(record=record)

    run_worker()

    assert mail.outbox == [] and sms_outbox == []
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 3  # 2 emails, 1 SMS


def test_overdue_alert_is_queued_by_the_cron_command(database_queue, settings):
    import datetime

    from django.utils import timezone

    settings.FEEDBACK_ALERT_EMAILS = ["duty@example.com"]
    complaint(now=timezone.now() - datetime.timedelta(hours=50))
    call_command("feedback_overdue", "--notify", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert mail.outbox == []
    assert DBTaskResult.objects.get().task_path == "feedback.notifications.alert_overdue"
    run_worker()
    assert [m.to for m in mail.outbox] == [["duty@example.com"]]
