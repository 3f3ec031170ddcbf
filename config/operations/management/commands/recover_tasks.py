"""`manage.py recover_tasks`: re-queue the tasks dead workers left running; queue what the
outbox still holds; forget old deliveries.

Every `db_worker` re-queues dead workers' tasks on its heartbeat; this command is for a timer
(deploy/, every minute), for the RQ queue (whose dead workers' jobs RQ moves to its failed
registry, and whose tasks wait in the outbox until pushed: a process killed before the push
leaves them there), and to see at once what was recovered.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from config.operations.models import Delivery
from config.operations.recovery import recover_outbox, recover_rq_jobs, recover_stalled_tasks

# Delivery keys are needed while a task may still run again: its retries end after about
# 2.5 hours (EMAIL_RETRY_DELAYS); a week is ample.
DELIVERY_KEEP_DAYS = 7


class Command(BaseCommand):
    help = (
        "Re-queue tasks left running by dead workers; queue tasks left in the outbox; delete "
        "delivery keys past a week."
    )

    def handle(self, *args, **options):
        if settings.TASKS_BACKEND == "rq":
            requeued = recover_rq_jobs()
            self.stdout.write(f"RQ jobs re-queued: {requeued}")
        else:
            counts = recover_stalled_tasks()
            self.stdout.write(
                f"Tasks re-queued: {counts['requeued']}, failed after lost workers: "
                f"{counts['failed']}"
            )
        outbox = recover_outbox()
        self.stdout.write(
            f"Outbox tasks queued: {outbox['queued']}, kept (queue not answering): {outbox['kept']}"
        )
        cutoff = timezone.now() - timedelta(days=DELIVERY_KEEP_DAYS)
        deleted, _ = Delivery.objects.filter(sent_at__lt=cutoff).delete()
        self.stdout.write(f"Delivery keys forgotten: {deleted}")
