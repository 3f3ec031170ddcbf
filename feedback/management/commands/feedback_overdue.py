"""List open feedback cases past their first-reply deadline, and with --notify climb the
escalation ladder; for cron (every few minutes: every step is taken once).

    python manage.py feedback_overdue            # list
    python manage.py feedback_overdue --notify   # escalate feedback and GM-reception cases,
                                                 # and email FEEDBACK_ALERT_EMAILS (or moderators)

Each rung a case climbs (campaigns.services.escalation) is audited and emailed (SMS to the
alert number) to that level's staff: the city team at the due time, the province and then
the national team CASE_ESCALATION_HOURS later.

The email is a background task (feedback.notifications.alert_overdue), so a mail server that is down
is retried by the worker instead of failing the cron job. Exits with status 0 either way;
prints nothing personal (reference, theme, how late).
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.tasks import enqueue
from feedback.notifications import alert_overdue, alert_recipients, overdue_report
from feedback.services import escalate_cases


class Command(BaseCommand):
    help = "List feedback cases past their first-reply deadline; --notify emails moderators."

    def add_arguments(self, parser):
        parser.add_argument("--notify", action="store_true", help="Email the list to moderators.")

    def handle(self, *args, notify=False, **options):
        if notify:
            steps = escalate_cases(now=timezone.now())
            self.stdout.write(f"Escalation steps taken: {len(steps)}")
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
