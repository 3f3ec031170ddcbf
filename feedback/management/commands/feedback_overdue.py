"""List (and optionally email) open feedback cases past their first-reply deadline; for cron.

    python manage.py feedback_overdue            # list
    python manage.py feedback_overdue --notify   # and email FEEDBACK_ALERT_EMAILS (or moderators)

Exits with status 0 either way; prints nothing personal (reference, theme, how late).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from feedback.clock import case_clock
from feedback.selectors import overdue_cases


def alert_recipients() -> list[str]:
    configured = getattr(settings, "FEEDBACK_ALERT_EMAILS", None)
    if configured:
        return list(configured)
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    moderators = users.filter(
        Q(is_superuser=True)
        | Q(user_permissions__codename="moderate_feedback")
        | Q(groups__permissions__codename="moderate_feedback")
    ).distinct()
    return sorted(moderators.values_list("email", flat=True))


class Command(BaseCommand):
    help = "List feedback cases past their first-reply deadline; --notify emails moderators."

    def add_arguments(self, parser):
        parser.add_argument("--notify", action="store_true", help="Email the list to moderators.")

    def handle(self, *args, notify=False, **options):
        now = timezone.now()
        with translation.override(settings.LANGUAGE_CODE):
            lines = [
                f"{case.reference}\t{case.theme.name}\t"
                f"{timezone.localtime(case.reply_due_at):%Y-%m-%d %H:%M}\t"
                f"{case_clock(case, now).label}"
                for case in overdue_cases(now=now)
            ]
            if not lines:
                self.stdout.write(_("没有超时未回复的工单。"))
                return
            summary = _("%(n)d 个工单超过%(hours)d小时未首次回复:") % {
                "n": len(lines),
                "hours": settings.FIRST_REPLY_HOURS,
            }
            self.stdout.write(summary)
            for line in lines:
                self.stdout.write(line)
            if notify:
                recipients = alert_recipients()
                if not recipients:
                    self.stderr.write("No recipients: set FEEDBACK_ALERT_EMAILS or staff emails.")
                    return
                send_mail(
                    _("【提醒】%(n)d 个反馈工单已超时") % {"n": len(lines)},
                    "\n".join([summary, "", *lines]),
                    None,
                    recipients,
                )
                self.stdout.write(f"Notified {len(recipients)} recipient(s).")
