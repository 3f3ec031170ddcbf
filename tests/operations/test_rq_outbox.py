"""With the RQ queue, a confirmation is first an outbox row written in the signup's own
transaction; pushed to Redis once it commits. A process killed between the COMMIT and the push
(no on-commit callback ever runs) leaves the row, and `recover_tasks` pushes it once the
grace period is over: the person still gets the SMS and the email, once each. A private
redis-server and the production worker command (in-process, burst).
"""

import json
import re
import shutil
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_rq.management.commands.rqworker import Command as RQWorkerCommand
from rq import Queue

from campaigns import services
from config.operations.models import Delivery, PendingTask
from config.operations.recovery import recover_outbox
from config.tasks import outbox_push
from tests.factories import SessionFactory

from .conftest import free_port

pytestmark = [
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed"),
    pytest.mark.django_db(transaction=True),
]

RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
NAME, PHONE, EMAIL = "赵一鸣", "13700001111", "zhao@example.com"


class Crash(Exception):
    pass


@pytest.fixture
def rq_queue(private_redis, settings):
    """Tasks go to RQ on the private Redis; the queue, to count its jobs."""
    url, client = private_redis
    settings.TASKS = RQ_TASKS
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 60}}
    return Queue("default", connection=client)


@pytest.fixture
def died_after_commit(monkeypatch):
    """As if the process died between COMMIT and the callbacks: none of them ever runs."""
    monkeypatch.setattr(transaction, "on_commit", lambda *args, **kwargs: None)


def signup(session=None):
    return services.signup_create(
        session=session or SessionFactory(),
        name=NAME,
        phone=PHONE,
        email=EMAIL,
        rules_accepted=True,
    )


def after_the_grace(settings):
    return timezone.now() + timedelta(seconds=settings.TASK_OUTBOX_GRACE_SECONDS + 1)


def run_rq_worker():
    """The production worker command, in burst mode and without forking (outboxes in memory)."""
    call_command(
        RQWorkerCommand(),
        "default",
        "--burst",
        "--worker-class",
        "rq.worker.SimpleWorker",
        "--job-class",
        "django_tasks_rq.Job",
    )


def recover_tasks() -> str:
    out = StringIO()
    call_command("recover_tasks", stdout=out)
    return out.getvalue()


def confirmations(sms_outbox):
    """(the phones texted a confirmation, the recipients of each email)"""
    texted = [m.phone for m in sms_outbox if m.kind == "signup_confirmed"]
    return texted, [m.to for m in mail.outbox]


def test_a_signup_whose_process_died_after_the_commit_is_confirmed_after_the_sweep(
    rq_queue, died_after_commit, settings, sms_outbox, monkeypatch
):
    signup()
    assert PendingTask.objects.count() == 2  # the SMS and the email, committed with the signup
    assert rq_queue.count == 0  # nothing reached Redis

    settings.TASK_OUTBOX_GRACE_SECONDS = 0  # the timer comes round after the grace period
    assert "Outbox tasks queued: 2, kept (queue not answering): 0" in recover_tasks()
    assert not PendingTask.objects.exists()
    assert rq_queue.count == 2

    monkeypatch.undo()  # the worker is another, living process
    run_rq_worker()
    assert confirmations(sms_outbox) == ([PHONE], [[EMAIL]])


def test_when_the_process_lives_the_task_is_pushed_at_commit_and_its_row_deleted_at_once(
    rq_queue, sms_outbox
):
    with CaptureQueriesContext(connection) as queries:
        signup()
    outbox_sql = [q["sql"].split()[0] for q in queries if "operations_pendingtask" in q["sql"]]
    assert outbox_sql == ["INSERT", "INSERT", "DELETE", "DELETE"]  # one DELETE each, no SELECT
    assert not PendingTask.objects.exists()
    assert rq_queue.count == 2
    run_rq_worker()
    assert confirmations(sms_outbox) == ([PHONE], [[EMAIL]])


def test_a_redis_that_does_not_answer_at_commit_leaves_the_row_to_the_sweep(
    rq_queue, settings, sms_outbox, caplog, private_redis
):
    live = settings.RQ_QUEUES
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{free_port()}/0"}}  # nobody
    record = signup()
    assert PendingTask.objects.count() == 2
    assert (
        f"Could not enqueue send_sms(record_id={record.pk} source=signup_confirmed) "
        "(ConnectionError): kept in the outbox" in caplog.text
    )
    assert PHONE not in caplog.text and EMAIL not in caplog.text

    settings.RQ_QUEUES = live
    assert recover_outbox(now=after_the_grace(settings)) == {"queued": 2, "kept": 0}
    run_rq_worker()
    assert confirmations(sms_outbox) == ([PHONE], [[EMAIL]])


def test_the_sweep_leaves_rows_younger_than_the_grace_period_alone(
    rq_queue, died_after_commit, settings
):
    assert settings.TASK_OUTBOX_GRACE_SECONDS >= 5
    signup()
    assert "Outbox tasks queued: 0," in recover_tasks()
    assert PendingTask.objects.count() == 2
    assert rq_queue.count == 0
    assert recover_outbox(now=after_the_grace(settings)) == {"queued": 2, "kept": 0}
    assert rq_queue.count == 2


def _swept_by_a_sweeper_killed_before_its_commit(settings):
    with pytest.raises(Crash), transaction.atomic():
        assert recover_outbox(now=after_the_grace(settings))["queued"] == 2
        raise Crash  # its DELETE is rolled back; Redis keeps what it was given


def _pushed_at_commit_but_not_deleted(settings):
    for pending in PendingTask.objects.all():
        assert outbox_push(pending, delete=False)  # the process died before its DELETE


@pytest.mark.parametrize(
    "first_push",
    [_swept_by_a_sweeper_killed_before_its_commit, _pushed_at_commit_but_not_deleted],
    ids=["swept by a sweeper killed before its COMMIT", "pushed at commit, DELETE lost"],
)
def test_a_row_pushed_twice_sends_once(
    first_push, rq_queue, died_after_commit, settings, sms_outbox, monkeypatch
):
    signup()
    first_push(settings)
    assert PendingTask.objects.count() == 2  # so the sweep pushes the rows again
    assert recover_outbox(now=after_the_grace(settings)) == {"queued": 2, "kept": 0}
    assert not PendingTask.objects.exists()
    assert rq_queue.count == 4  # each message queued twice, with one delivery key

    monkeypatch.undo()
    run_rq_worker()
    assert confirmations(sms_outbox) == ([PHONE], [[EMAIL]])
    assert sorted(Delivery.objects.values_list("channel", "kind")) == [
        ("email", "signup_created"),
        ("sms", "signup_confirmed"),
    ]


def test_the_outbox_row_holds_ids_and_keys_never_personal_data(rq_queue, died_after_commit):
    record = signup()
    rows = list(PendingTask.objects.order_by("task_path"))
    assert [(r.task_path, r.kwargs.get("kind"), r.kwargs.get("source")) for r in rows] == [
        ("campaigns.notifications.send_notification", "signup_created", None),
        ("campaigns.sms.delivery.send_sms", None, "signup_confirmed"),
    ]
    for row in rows:
        assert row.kwargs["record_id"] == record.pk
        assert set(row.kwargs) <= {"kind", "source", "record_id", "delivery_key", "request_id"}
        assert re.fullmatch(r"[0-9a-f]{32}", row.kwargs["delivery_key"])
        stored = json.dumps(
            {f.name: str(getattr(row, f.name)) for f in PendingTask._meta.fields} | row.kwargs,
            ensure_ascii=False,
        )
        for personal in (NAME, PHONE, EMAIL, record.reference):
            assert personal not in stored


@pytest.mark.postgres
def test_a_row_another_sweeper_holds_is_skipped_not_waited_for_nor_pushed_twice(
    rq_queue, died_after_commit, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are proven on PostgreSQL (CI runs the suite there too)")
    signup()
    held = PendingTask.objects.order_by("pk").first()
    locked, release = threading.Event(), threading.Event()

    def other_sweeper():
        try:
            with transaction.atomic():
                PendingTask.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_sweeper)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        assert recover_outbox(now=after_the_grace(settings)) == {"queued": 1, "kept": 0}
        assert list(PendingTask.objects.values_list("pk", flat=True)) == [held.pk]
    finally:
        release.set()
        thread.join(timeout=30)
    assert rq_queue.count == 1
    assert recover_outbox(now=after_the_grace(settings)) == {"queued": 1, "kept": 0}
    assert rq_queue.count == 2
