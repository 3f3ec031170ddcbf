"""Queue last week's report to each region's managers; for cron, Monday morning.

    python manage.py send_weekly_reports

One task per person (feedback.reporting.weekly): the headline figures in the email and the
feedback report (XLSX) attached, for their regions. Running it twice sends nothing twice.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from feedback.reporting.weekly import queue_weekly_reports


class Command(BaseCommand):
    help = "Queue last week's regional report to each staff member who takes it."

    def handle(self, *args, **options):
        queued = queue_weekly_reports(now=timezone.now())
        self.stdout.write(f"Weekly reports queued: {queued}")
