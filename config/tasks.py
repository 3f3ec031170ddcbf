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
"""

import datetime
import inspect
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.observability import current_request_id

logger = logging.getLogger(__name__)


class TaskFailed(Exception):
    """A run failed; the message names the task, its ids and the error's class, nothing else."""


# Arguments that are not about the record: left out of log lines and failure messages.
ENVELOPE = ("attempt", "request_id", "delivery_key")


def _describe(task, kwargs: dict) -> str:
    ids = " ".join(f"{key}={value}" for key, value in sorted(kwargs.items()) if key not in ENVELOPE)
    return f"{task.name}({ids})"


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

    With the database queue the task's row is written inside that transaction: it commits
    with the signup or reply it is about, or not at all. A process killed between the COMMIT
    and a later enqueue lost the confirmation of a committed signup (bench/fleet.py showed
    it). A queue elsewhere (RQ) is written once the transaction commits, as before; at once
    outside a transaction."""
    if _queue_in_this_database(task) and transaction.get_connection().in_atomic_block:
        task.enqueue(**with_envelope(task, kwargs))  # fails the transaction if it fails
    else:
        transaction.on_commit(lambda: enqueue(task, **kwargs))


def _queue_in_this_database(task) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


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
