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


class PendingTask(models.Model):
    """A task for a queue outside the database (RQ), written in the transaction of the record
    it is about: it commits with the signup or reply, or not at all.

    Once that transaction commits the task is pushed to the queue and the row deleted; a
    process killed in between, or a queue that did not answer, leaves the row, and
    `manage.py recover_tasks` pushes it later (operations.recovery.recover_outbox). Its
    arguments are what the task takes: record ids, flags, the request id and the delivery
    key fixed when the row was written (so a row pushed twice sends once), never personal
    data.
    """

    task_path = models.CharField("task", max_length=255)
    kwargs = models.JSONField("arguments", default=dict)
    run_after = models.DateTimeField("run after", null=True, blank=True)
    priority = models.IntegerField("priority", default=0)
    queue_name = models.CharField("queue", max_length=64, default="default")
    backend = models.CharField("task backend", max_length=64, default="default")
    created_at = models.DateTimeField("created at", db_index=True)

    class Meta:
        verbose_name = "task waiting to be queued"
        verbose_name_plural = "tasks waiting to be queued"

    def __str__(self):
        return f"{self.task_path.rsplit('.', 1)[-1]} ({self.created_at:%Y-%m-%d %H:%M:%S})"
