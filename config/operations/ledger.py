"""Send a message once, however often its task runs.

`config.tasks.enqueue` gives every sending task a `delivery_key` (a random id) when it is
queued; the retries of that task carry the same key. `send_once` writes the key's `Delivery`
row and sends in ONE transaction:

- the send succeeds and the transaction commits: the key is recorded; a second run of the
  task (a dead worker's task re-queued, a queue that delivers twice) finds the row and sends
  nothing;
- the send raises, or the process dies before the commit: no row; the retry or the re-queued
  task sends again;
- two runs at once: the second blocks on the unique key until the first commits, then
  finds it (or, if the first failed, sends).

What remains is the moment between the provider accepting the message and the commit (a
process killed exactly then sends the message again on recovery): the mail server and the
SMS providers do not take an idempotency key, so at-least-once with that window is the best
any sender can do; it is as narrow as one COMMIT.
"""

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Delivery

logger = logging.getLogger(__name__)


def send_once(key: str, *, channel: str, kind: str, send: Callable[[], bool]) -> bool:
    """`send()` unless the message `key` was already sent; True when something was sent.

    An empty key (a task queued before keys existed, or called directly) just sends.
    """
    if not key:
        return send()
    with transaction.atomic():
        try:
            with transaction.atomic():
                Delivery.objects.create(key=key, channel=channel, kind=kind, sent_at=timezone.now())
        except IntegrityError:
            logger.info("%s %s key=%s was already sent: not sending it again", channel, kind, key)
            return False
        return send()


def already_sent(key: str) -> bool:
    return bool(key) and Delivery.objects.filter(key=key).exists()
