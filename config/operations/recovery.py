"""Nothing lost when a task worker dies: leases, and re-queueing what a dead worker held.

The database queue (django-tasks-db) marks a task RUNNING when a worker claims it and
SUCCESSFUL or FAILED when it ends. A worker killed in between (`kill -9`, the OOM killer, a
systemd stop timeout, a lost host) would leave the task RUNNING for ever. So:

1. Every worker (`manage.py db_worker`, operations/management/commands/db_worker.py) holds a
   **lease**: a `WorkerLease` row with its worker id, host and pid, renewed every
   `lease / 4` seconds by a heartbeat thread, deleted when it stops cleanly.
2. A RUNNING task is **stalled** when it started more than `lease` seconds ago and the worker
   that claimed it (the last of its `worker_ids`) has no lease renewed within `lease` seconds,
   or its lease names this host and a pid that no longer exists (a worker restarted by
   systemd recovers at once what its killed predecessor held).
3. `recover_stalled_tasks()` puts stalled tasks back to READY (their `worker_ids` keep the
   history). A task already claimed `MAX_RUNS` times is marked FAILED instead
   (`WorkerLost`): a task that kills every worker that runs it must not kill them all.
   Every worker runs it when it starts and on every heartbeat; `manage.py recover_tasks`
   runs it from a timer too, and reports.

A worker that is alive but stalled longer than the lease (a long GC pause, a frozen VM)
may see its task run again elsewhere; the ledger (operations/ledger.py) makes that second
run send nothing. Keep the lease well above the heartbeat (default 60 s vs 15 s).

RQ (`CAMPAIGN_TASKS_BACKEND=rq`) has its own: each RQ worker keeps a heartbeat key, and a job
whose worker died is moved by RQ's StartedJobRegistry cleanup to the FailedJobRegistry;
`recover_rq_jobs()` (also run by `manage.py recover_tasks`) re-queues those abandoned jobs.

A task for RQ is first an outbox row (`PendingTask`, config/tasks.py `enqueue_on_commit`),
written in the transaction of the record it is about and pushed to Redis once that commits.
A row older than `TASK_OUTBOX_GRACE_SECONDS` was left by a process that died between the
COMMIT and the push, or by a Redis that did not answer: `recover_outbox()` (run by
`manage.py recover_tasks`) pushes it.
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from config.tasks import outbox_push

from .models import PendingTask, WorkerLease

logger = logging.getLogger(__name__)

# A task claimed this many times by workers that all died is failed, not re-queued.
MAX_RUNS = 3
WORKER_LOST = "operations.recovery.WorkerLost"
# Outbox rows pushed per transaction of the sweep.
OUTBOX_BATCH = 500


class WorkerLost(Exception):
    """The workers that ran this task died (killed, out of memory) before it finished."""


def lease_seconds() -> int:
    return int(getattr(settings, "TASK_WORKER_LEASE_SECONDS", 60))


def hostname() -> str:
    return socket.gethostname()[:255]


def renew_lease(worker_id: str, *, now=None) -> None:
    now = now or timezone.now()
    updated = WorkerLease.objects.filter(worker_id=worker_id).update(renewed_at=now)
    if not updated:
        WorkerLease.objects.update_or_create(
            worker_id=worker_id,
            defaults={"hostname": hostname(), "pid": os.getpid(), "renewed_at": now},
            create_defaults={
                "hostname": hostname(),
                "pid": os.getpid(),
                "renewed_at": now,
                "started_at": now,
            },
        )


def release_lease(worker_id: str) -> None:
    WorkerLease.objects.filter(worker_id=worker_id).delete()


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # exists, another user's
        return False
    return False


def live_workers(now) -> set[str]:
    """Worker ids whose lease is fresh and whose process is not known to be gone."""
    cutoff = now - timedelta(seconds=lease_seconds())
    here = hostname()
    live = set()
    for lease in WorkerLease.objects.filter(renewed_at__gt=cutoff):
        if lease.hostname == here and _process_gone(lease.pid):
            continue
        live.add(lease.worker_id)
    return live


def recover_stalled_tasks(*, now=None, restarted: str = "") -> dict[str, int]:
    """Re-queue the RUNNING tasks of dead workers; {'requeued': n, 'failed': m}.

    `restarted`: the id of a worker that is starting: whatever still runs under its id was
    claimed by a previous process of that id (a fixed `--worker-id`), which is dead.
    """
    now = now or timezone.now()
    live = live_workers(now) - {restarted}
    here = hostname()
    dead_here = {
        lease.worker_id
        for lease in WorkerLease.objects.filter(hostname=here)
        if lease.worker_id not in live
    } | ({restarted} if restarted else set())
    cutoff = now - timedelta(seconds=lease_seconds())
    counts = {"requeued": 0, "failed": 0}
    with transaction.atomic():
        running = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(status=TaskResultStatus.RUNNING)
            .order_by("started_at")
        )
        for task in running:
            owner = task.worker_ids[-1] if task.worker_ids else ""
            if owner in live:
                continue
            if task.started_at and task.started_at > cutoff and owner not in dead_here:
                continue  # just claimed: its worker may not have renewed yet
            if len(task.worker_ids) >= MAX_RUNS:
                task.status = TaskResultStatus.FAILED
                task.finished_at = now
                task.exception_class_path = WORKER_LOST
                task.traceback = (
                    f"WorkerLost: {len(task.worker_ids)} workers died running this task\n"
                )
                task.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                counts["failed"] += 1
                logger.error(
                    "Task %s (%s) lost %d workers: marked failed",
                    task.id,
                    task.task_path.rsplit(".", 1)[-1],
                    len(task.worker_ids),
                )
            else:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                counts["requeued"] += 1
                logger.warning(
                    "Task %s (%s) was left running by dead worker %s: re-queued",
                    task.id,
                    task.task_path.rsplit(".", 1)[-1],
                    owner or "?",
                )
        # Leases of workers gone long ago are forgotten.
        WorkerLease.objects.filter(renewed_at__lt=now - timedelta(days=1)).delete()
        WorkerLease.objects.filter(worker_id__in=dead_here).delete()
    return counts


class Heartbeat:
    """Renews a worker's lease and recovers dead workers' tasks, in a daemon thread."""

    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.interval = max(lease_seconds() / 4, 0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="task-heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                close_old_connections()
                renew_lease(self.worker_id)
                recover_stalled_tasks()
            except DatabaseError as exc:
                logger.warning("Task worker heartbeat failed (%s)", type(exc).__name__)
                connection.close()
        connection.close()


def recover_rq_jobs(queue=None, *, timestamp: float | None = None) -> int:
    """Re-queue RQ jobs abandoned by a dead worker (moved to the failed registry by RQ).

    `queue`: the RQ queue (default: django-rq's "default"); `timestamp`: the time RQ's
    cleanup counts as now (its entries of a dead worker expire after the job's timeout).
    """
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    if queue is None:
        import django_rq  # installed with CAMPAIGN_TASKS_BACKEND=rq only

        queue = django_rq.get_queue("default")
    StartedJobRegistry(queue=queue).cleanup(timestamp)  # dead workers' jobs: to failed
    failed = FailedJobRegistry(queue=queue)
    requeued = 0
    for job_id in failed.get_job_ids():
        job = queue.fetch_job(job_id)
        if job is None:
            continue
        info = job.latest_result()
        if info is not None and "AbandonedJobError" in (info.exc_string or ""):
            failed.requeue(job_id)
            requeued += 1
            logger.warning("RQ job %s was abandoned by a dead worker: re-queued", job_id)
    return requeued


def outbox_grace_seconds() -> int:
    return int(getattr(settings, "TASK_OUTBOX_GRACE_SECONDS", 30))


def recover_outbox(*, now=None) -> dict[str, int]:
    """Push the outbox rows older than the grace period to their queue and delete them;
    {'queued': n, 'kept': m} (kept: the queue did not answer; left for the next run).

    A younger row is left alone: the process that wrote it is pushing it right after its
    COMMIT. Rows are taken with SELECT ... FOR UPDATE SKIP LOCKED (PostgreSQL), so two
    sweepers at once push each row once, and deleted in the transaction that took them. A
    row pushed twice all the same (a sweeper killed before its COMMIT, a row whose process
    pushed it late) carries one delivery key: its second run sends nothing
    (operations/ledger.py).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=outbox_grace_seconds())
    counts = {"queued": 0, "kept": 0}
    while True:
        with transaction.atomic():
            batch = list(
                PendingTask.objects.select_for_update(skip_locked=True)
                .filter(created_at__lt=cutoff)
                .order_by("created_at", "pk")[:OUTBOX_BATCH]
            )
            queued = []
            for pending in batch:
                if not outbox_push(pending, delete=False):
                    break  # the queue does not answer: the rest waits for the next run
                queued.append(pending.pk)
            PendingTask.objects.filter(pk__in=queued).delete()
        for pending in batch[: len(queued)]:
            logger.warning(
                "Task %s (%s) was left in the outbox since %s: queued",
                pending.pk,
                pending.task_path.rsplit(".", 1)[-1],
                pending.created_at.isoformat(timespec="seconds"),
            )
        counts["queued"] += len(queued)
        counts["kept"] += len(batch) - len(queued)
        if len(batch) < OUTBOX_BATCH or len(queued) < len(batch):
            return counts  # all done, or the queue is not answering: next run
