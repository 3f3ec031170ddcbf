"""Tasks left RUNNING by a dead worker go back to the queue (database queue, worker leases).

A worker holds a lease it renews; a RUNNING task whose worker's lease expired, or whose
worker's process is gone from this host, is re-queued, and sent once by the next worker.
A task that took MAX_RUNS workers down with it is failed instead of being run again.
"""

import datetime
import os
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config.operations.models import WorkerLease
from config.operations.recovery import MAX_RUNS, WORKER_LOST, hostname, recover_stalled_tasks
from tests.conftest import run_worker
from tests.factories import SignupFactory

pytestmark = pytest.mark.django_db(transaction=True)

LEASE = 60
SEND_SMS = "campaigns.sms.delivery.send_sms"


@pytest.fixture(autouse=True)
def lease(settings):
    settings.TASK_WORKER_LEASE_SECONDS = LEASE


def ago(seconds):
    return timezone.now() - datetime.timedelta(seconds=seconds)


def dead_pid() -> int:
    child = subprocess.Popen(["/bin/true"])
    child.wait()
    return child.pid


def running_task(worker_id, *, started, previous=()):
    """A confirmation SMS claimed by `worker_id` `started` seconds ago."""
    signup = SignupFactory(phone="13912345678")  # queues its confirmation SMS
    queued = DBTaskResult.objects.filter(task_path=SEND_SMS, status="READY",
                                         args_kwargs__kwargs__record_id=signup.pk)
    assert queued.update(status="RUNNING", started_at=ago(started),
                         worker_ids=[*previous, worker_id]) == 1
    return queued.model.objects.get(args_kwargs__kwargs__record_id=signup.pk)


def lease_for(worker_id, *, renewed, host=None, pid=None):
    WorkerLease.objects.create(worker_id=worker_id, hostname=host or "other-host",
                               pid=pid or 4242, started_at=ago(3600), renewed_at=ago(renewed))


def test_the_task_of_a_worker_whose_lease_expired_is_requeued_and_sent_once(
    database_queue, sms_outbox
):
    lease_for("w-dead", renewed=LEASE + 30)
    task = running_task("w-dead", started=LEASE + 40)

    assert recover_stalled_tasks() == {"requeued": 1, "failed": 0}
    task.refresh_from_db()
    assert (task.status, task.started_at) == ("READY", None)
    assert not WorkerLease.objects.filter(worker_id="w-dead", renewed_at__gt=ago(LEASE)).exists()

    run_worker()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and len(task.worker_ids) == 2
    assert [m.kind for m in sms_outbox] == ["signup_confirmed"]


def test_a_live_workers_task_is_left_alone(database_queue):
    lease_for("w-alive", renewed=5)
    task = running_task("w-alive", started=LEASE * 10)  # a long task, its worker renewing
    assert recover_stalled_tasks() == {"requeued": 0, "failed": 0}
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_task_just_claimed_waits_for_its_workers_first_heartbeat(database_queue):
    task = running_task("w-new", started=1)  # no lease row seen yet
    assert recover_stalled_tasks() == {"requeued": 0, "failed": 0}
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_worker_gone_from_this_host_is_recovered_at_once(database_queue):
    """systemd restarts a killed worker: the new one need not wait for the lease to expire."""
    lease_for("w-killed", renewed=1, host=hostname(), pid=dead_pid())
    task = running_task("w-killed", started=1)
    assert recover_stalled_tasks() == {"requeued": 1, "failed": 0}
    task.refresh_from_db()
    assert task.status == "READY"
    assert not WorkerLease.objects.filter(worker_id="w-killed").exists()


def test_this_workers_own_live_process_is_not_taken_for_dead(database_queue):
    lease_for("w-me", renewed=1, host=hostname(), pid=os.getpid())
    task = running_task("w-me", started=LEASE * 2)
    assert recover_stalled_tasks() == {"requeued": 0, "failed": 0}
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_task_that_killed_every_worker_is_failed_not_run_again(database_queue, sms_outbox):
    previous = [f"w-{n}" for n in range(MAX_RUNS - 1)]
    task = running_task("w-last", started=LEASE * 2, previous=previous)
    assert recover_stalled_tasks() == {"requeued": 0, "failed": 1}
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == WORKER_LOST
    run_worker()
    assert sms_outbox == []


def test_the_worker_recovers_when_it_starts_and_the_command_reports(database_queue, sms_outbox):
    lease_for("w-dead", renewed=LEASE * 3)
    running_task("w-dead", started=LEASE * 3)
    run_worker()  # `db_worker` re-queues before it looks for work
    assert [m.kind for m in sms_outbox] == ["signup_confirmed"]

    lease_for("w-dead-2", renewed=LEASE * 3)
    running_task("w-dead-2", started=LEASE * 3)
    out = StringIO()
    call_command("recover_tasks", stdout=out)
    assert "Tasks re-queued: 1" in out.getvalue()


def test_a_worker_restarted_under_the_same_id_takes_back_what_its_predecessor_held(
    database_queue, sms_outbox
):
    """`--worker-id host-1` restarted by systemd: the lease of that id is fresh again, but
    the task its killed predecessor claimed must not wait for ever."""
    lease_for("host-1", renewed=1)
    running_task("host-1", started=5)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload",
                 "--worker-id", "host-1", stdout=StringIO())
    assert [m.kind for m in sms_outbox] == ["signup_confirmed"]
