"""Rows that keep background work honest when a process dies (docs/operations.md).

No personal data: worker ids, host names, pids, message keys and kinds.
"""

from django.db import models


class WorkerLease(models.Model):
    """A running `db_worker`, renewed every few seconds by its heartbeat thread.

    A task left RUNNING by a worker whose lease expired (or whose process is gone from this
    host) is put back in the queue by operations.recovery.
    """

    worker_id = models.CharField("worker", max_length=64, unique=True)
    hostname = models.CharField("host", max_length=255)
    pid = models.PositiveIntegerField("process id")
    started_at = models.DateTimeField("started at")
    renewed_at = models.DateTimeField("renewed at", db_index=True)

    class Meta:
        verbose_name = "task worker"
        verbose_name_plural = "task workers"

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class Delivery(models.Model):
    """One email or text message handed to the mail server or the SMS provider.

    Its key is made when the message is queued and travels with the task and its retries;
    the row is written in the transaction that sends, so a task that runs twice (re-queued
    from a dead worker, delivered twice by the queue) finds it and sends nothing.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "email"
        SMS = "sms", "SMS"

    key = models.CharField("key", max_length=64, unique=True)
    channel = models.CharField("channel", max_length=8, choices=Channel.choices)
    kind = models.CharField("kind", max_length=64)
    sent_at = models.DateTimeField("sent at", db_index=True)

    class Meta:
        verbose_name = "delivery"
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.channel} {self.kind} {self.key}"
