"""Sending a text message: always from the task queue, retried with backoff, logged by id only.

A caller queues `(source, record_id)` once its transaction commits; the worker asks that
source for the message as the record is now (an erased record, a cancelled signup or an expired
code sends nothing) and hands it to the configured backend. A provider that is down raises;
config.tasks.run_with_retry then schedules the same task again (EMAIL_RETRY_DELAYS), so an
outage delays a notice but never loses it, and never fails the signup that caused it.

Sources register here from the module that owns the record (`@sms_source("…")`): the campaign
sends signup notices and codes, the feedback app its replies. Task arguments are the source's
name, a record id and the attempt number, never a number or a code.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django_tasks import task

from config.operations.ledger import send_once
from config.tasks import enqueue_on_commit, run_with_retry

from .backends import SmsMessage, get_backend


@dataclass(frozen=True)
class Outgoing:
    message: SmsMessage
    sent: Callable[[], None] | None = None  # run once the provider took it


SOURCES: dict[str, Callable[[int], Outgoing | None]] = {}
_muted: ContextVar[bool] = ContextVar("sms_muted", default=False)


def sms_source(name: str):
    """Register `loader(record_id) -> Outgoing | None` as the source `name`."""

    def register(loader):
        SOURCES[name] = loader
        return loader

    return register


def queue_sms(source: str, record_id: int, *, run_after=None) -> None:
    """Send once the transaction commits; not before `run_after` when the queue can wait
    (the database and RQ queues can; the immediate one used in tests sends at once)."""
    if source not in SOURCES:
        raise KeyError(f"Unknown SMS source {source!r}")
    if _muted.get():
        return
    task = send_sms
    if run_after is not None and send_sms.get_backend().supports_defer:
        task = send_sms.using(run_after=run_after)
    enqueue_on_commit(task, source=source, record_id=record_id)


@contextmanager
def sms_muted() -> Iterator[None]:
    """Queue no text message meanwhile: the demo's invented numbers get none."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def _deliver_now(source: str, record_id: int) -> bool:
    # In Chinese, as the provider's approved templates are: the campaign's texts a message
    # quotes (an activity's title, a task's) too, whichever page's request queued it.
    with translation.override(settings.LANGUAGE_CODE):
        outgoing = SOURCES[source](record_id)
    if outgoing is None:
        return False
    get_backend().send(outgoing.message)
    if outgoing.sent:
        outgoing.sent()
    return True


def deliver_sms(source: str, record_id: int, *, delivery_key: str = "") -> bool:
    """Send now; errors propagate (the task retries). False when there is nothing to send,
    or when the message with `delivery_key` was already sent (operations/ledger.py)."""
    return send_once(delivery_key, channel="sms", kind=source,
                     send=lambda: _deliver_now(source, record_id))


@task()
def send_sms(*, source: str, record_id: int, attempt: int = 1, delivery_key: str = "",
             request_id: str = "") -> bool:
    """Send the text message `source` is about for one record; retried on errors, sent once."""
    return run_with_retry(
        send_sms,
        attempt=attempt,
        kwargs={"source": source, "record_id": record_id, "delivery_key": delivery_key,
                "request_id": request_id},
        work=lambda: deliver_sms(source, record_id, delivery_key=delivery_key),
    )
