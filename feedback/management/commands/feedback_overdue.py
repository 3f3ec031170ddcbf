"""List (and optionally email) open feedback cases past their first-reply deadline; for cron.

    python manage.py feedback_overdue            # list
    python manage.py feedback_overdue --notify   # and email FEEDBACK_ALERT_EMAILS (or moderators)

The email is a background task (feedback.notifications.alert_overdue), so a mail server that is down
is retried by the worker instead of failing the cron job. Exits with status 0 either way;
prints nothing personal (reference, theme, how late).
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from config.tasks import enqueue
from feedback.notifications import alert_overdue, alert_recipients, overdue_report


class Command(BaseCommand):
    help = "List feedback cases past their first-reply deadline; --notify emails moderators."

    def add_arguments(self, parser):
        parser.add_argument("--notify", action="store_true", help="Email the list to moderators.")

    def handle(self, *args, notify=False, **options):
        summary, lines = overdue_report()
        if not lines:
            with translation.override(settings.LANGUAGE_CODE):
                self.stdout.write(_("没有超时未回复的工单。"))
            return
        self.stdout.write(summary)
        for line in lines:
            self.stdout.write(line)
        if notify:
            recipients = alert_recipients()
            if not recipients:
                self.stderr.write("No recipients: set FEEDBACK_ALERT_EMAILS or staff emails.")
                return
            enqueue(alert_overdue)
            self.stdout.write(f"Notification to {len(recipients)} recipient(s) queued.")
