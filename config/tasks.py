"""Background work on django-tasks: enqueue after commit, retry with backoff, log no personal data.

The tasks framework records a failure but never retries, so tasks that talk to another
service (the mail server) go through `run_with_retry`: on an error it enqueues the same task
again with `attempt + 1`, `EMAIL_RETRY_DELAYS[attempt - 1]` seconds later, and then raises
`TaskFailed`, so that the queue marks this run as failed. After the last delay it gives up.

Two arguments travel with a task that accepts them, filled in by `enqueue` and carried by
its retries: `request_id`, the id of the request that queued it (its log lines carry it,
config/observability.py), and `delivery_key`, a random key that makes sending idempotent
(operations/ledger.py: a task that runs twice sends one message).

Task arguments are record ids, flags and the attempt number, never names, numbers,
addresses or link tokens: the task reads what it needs from the database when it runs (a
record erased meanwhile is simply not written to). Log lines and the error stored with a
failed run carry the task, the ids and the exception's class only, because an SMTP error
can quote the recipient's address.

`enqueue_on_commit` never loses the task of a committed record: with the database queue the
task's row is written in the record's transaction; with a queue elsewhere (RQ) an outbox row
(operations.PendingTask) is, pushed to the queue once the transaction commits, and pushed by
`manage.py recover_tasks` if the process died first (docs/operations.md).
"""

import datetime
import inspect
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from config.observability import current_request_id
from config.operations.models import PendingTask

logger = logging.getLogger(__name__)


class TaskFailed(Exception):
    """A run failed; the message names the task, its ids and the error's class, nothing else."""


# Arguments that are not about the record: left out of log lines and failure messages.
ENVELOPE = ("attempt", "request_id", "delivery_key")


def _describe(task, kwargs: dict) -> str:
    return _describe_name(task.name, kwargs)


def _describe_name(name: str, kwargs: dict) -> str:
    ids = " ".join(f"{key}={value}" for key, value in sorted(kwargs.items()) if key not in ENVELOPE)
    return f"{name}({ids})"


def with_envelope(task, kwargs: dict) -> dict:
    """`kwargs` plus the request id and a new delivery key, where the task takes them."""
    parameters = inspect.signature(task.func).parameters
    kwargs = dict(kwargs)
    if "request_id" in parameters and current_request_id():
        kwargs.setdefault("request_id", current_request_id())
    if "delivery_key" in parameters:
        kwargs.setdefault("delivery_key", uuid.uuid4().hex)
    return kwargs


def enqueue(task, **kwargs) -> None:
    """Enqueue now; a queue that cannot be reached is logged, never raised to the caller."""
    kwargs = with_envelope(task, kwargs)
    try:
        task.enqueue(**kwargs)
    except Exception as exc:
        # By now the caller's transaction is committed: failing the request would only
        # hide that the signup or reply was saved.
        logger.error("Could not enqueue %s (%s)", _describe(task, kwargs), type(exc).__name__)


def enqueue_on_commit(task, **kwargs) -> None:
    """Enqueue `task(**kwargs)` so that it runs only if the current transaction commits.

    What is queued is written inside that transaction, so that it commits with the signup or
    reply it is about, or not at all: a process killed between the COMMIT and a later
    enqueue lost the confirmation of a committed signup (bench/fleet.py showed it).

    - the database queue: the task's own row;
    - a queue elsewhere (RQ): an outbox row, with the request id and delivery key fixed;
      once the transaction commits it is pushed to the queue and deleted. A push that fails
      or never happens leaves the row to `recover_outbox` (operations/recovery.py);
    - a queue in this process (immediate, dummy: tests), or no transaction: after the
      commit, or at once."""
    in_transaction = transaction.get_connection().in_atomic_block
    if not in_transaction or _queue_in_this_process(task):
        transaction.on_commit(lambda: enqueue(task, **kwargs))
    elif _queue_in_this_database(task):
        task.enqueue(**with_envelope(task, kwargs))  # fails the transaction if it fails
    else:
        pending = outbox_write(task, with_envelope(task, kwargs))
        transaction.on_commit(lambda: outbox_push(pending))


def _queue_in_this_database(task) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def _queue_in_this_process(task) -> bool:
    from django_tasks.backends.dummy import DummyBackend
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(task.get_backend(), ImmediateBackend | DummyBackend)


def outbox_write(task, kwargs: dict) -> PendingTask:
    """The outbox row of `task(**kwargs)`, in the caller's transaction (ids only)."""
    return PendingTask.objects.create(
        task_path=task.module_path,
        kwargs=kwargs,
        run_after=task.run_after,
        priority=task.priority,
        queue_name=task.queue_name,
        backend=task.backend,
        created_at=timezone.now(),
    )


def outbox_push(pending: PendingTask, *, delete: bool = True) -> bool:
    """Queue an outbox row's task, then delete the row (one DELETE) unless `delete` is off
    (the sweep deletes its batch at once). False when the queue did not take it: the row
    stays for the sweep. A row queued but not deleted (the process died, the database did
    not answer) is queued again by the sweep; its delivery key makes that run send nothing.
    """
    name = pending.task_path.rsplit(".", 1)[-1]
    try:
        task = import_string(pending.task_path).using(
            priority=pending.priority,
            queue_name=pending.queue_name,
            run_after=pending.run_after,
            backend=pending.backend,
        )
        task.enqueue(**pending.kwargs)
    except Exception as exc:
        # The caller's transaction is committed: failing the request would only hide that
        # the signup or reply was saved. The sweep tries again.
        logger.error(
            "Could not enqueue %s (%s): kept in the outbox",
            _describe_name(name, pending.kwargs),
            type(exc).__name__,
        )
        return False
    if delete:
        try:
            PendingTask.objects.filter(pk=pending.pk).delete()
        except DatabaseError as exc:
            logger.warning(
                "Queued %s but could not delete its outbox row (%s): the sweep "
                "queues it again, sent once",
                _describe_name(name, pending.kwargs),
                type(exc).__name__,
            )
    return True


def retry_delay(attempt: int) -> int | None:
    """Seconds before attempt `attempt + 1`, or None when `attempt` was the last one."""
    delays = list(getattr(settings, "EMAIL_RETRY_DELAYS", []))
    if attempt < 1 or attempt > len(delays):
        return None
    return int(delays[attempt - 1])


def max_attempts() -> int:
    return 1 + len(getattr(settings, "EMAIL_RETRY_DELAYS", []))


def run_with_retry(task, *, attempt: int, kwargs: dict, work: Callable[[], object]):
    """Run `work()`; on an error schedule `task(**kwargs, attempt=attempt + 1)` and raise."""
    try:
        return work()
    except Exception as exc:
        error = type(exc).__name__
        what = _describe(task, kwargs)
        delay = retry_delay(attempt)
        if delay is None:
            logger.error(
                "%s failed (%s), attempt %d of %d: giving up", what, error, attempt, max_attempts()
            )
        elif _schedule_retry(task, kwargs=kwargs, attempt=attempt + 1, delay=delay):
            logger.warning(
                "%s failed (%s), attempt %d of %d: retrying in %d s",
                what,
                error,
                attempt,
                max_attempts(),
                delay,
            )
        else:
            logger.error(
                "%s failed (%s), attempt %d of %d: the task backend cannot schedule a retry",
                what,
                error,
                attempt,
                max_attempts(),
            )
        # `from None`: the original error (and its message, which may quote an address) is
        # left out of the traceback the queue stores and the worker logs.
        raise TaskFailed(f"{what} failed ({error}), attempt {attempt}") from None


def _schedule_retry(task, *, kwargs: dict, attempt: int, delay: int) -> bool:
    if not task.get_backend().supports_defer:
        return False
    run_after = timezone.now() + datetime.timedelta(seconds=delay)
    try:
        task.using(run_after=run_after).enqueue(**{**kwargs, "attempt": attempt})
    except Exception as exc:
        logger.error(
            "Could not schedule a retry of %s (%s)", _describe(task, kwargs), type(exc).__name__
        )
        return False
    return True
