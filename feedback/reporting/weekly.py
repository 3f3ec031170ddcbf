"""The weekly report to each region's managers: every Monday morning (cron:
`manage.py send_weekly_reports`), each staff member whose scope takes it (StaffScope.
weekly_report) gets the past week (Monday to Sunday) of their regions: the headline figures in
the email, the one-click feedback report (XLSX with its summary sheet) attached — masked
unless they may see personal data, audited like any export. One task per person, through the
queue; a person is sent a week's report once, and one link in the email unsubscribes them.
"""

import datetime
import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from campaigns.models import StaffScope
from campaigns.notifications import absolute_url
from campaigns.regions import scope_for
from config.tasks import enqueue_on_commit, run_with_retry

from .exporters import FeedbackExporter
from .filters import DashboardFilters
from .selectors import dashboard

UNSUBSCRIBE_SALT = "weekly-report-unsubscribe"
PERMISSION = "feedback.view_dashboard"


def last_week(now: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    """(Monday, Sunday) of the week before the one `now` is in (local days)."""
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    return monday, monday + datetime.timedelta(days=6)


def recipients(week: datetime.date):
    """The scopes whose person takes the report, may see the dashboard, has an email, and
    has not been sent this week's."""
    codename = PERMISSION.split(".")[1]
    holds = (Q(user__is_superuser=True) | Q(user__user_permissions__codename=codename)
             | Q(user__groups__permissions__codename=codename))
    return (StaffScope.objects.filter(holds, weekly_report=True, user__is_active=True,
                                      user__is_staff=True)
            .exclude(user__email="").exclude(weekly_report_sent_for=week)
            .select_related("user").distinct())


def queue_weekly_reports(*, now: datetime.datetime) -> int:
    """Queue this Monday's reports (one task per person); returns how many."""
    monday, _sunday = last_week(now)
    scopes = list(recipients(monday))
    with transaction.atomic():
        for scope in scopes:
            enqueue_on_commit(send_weekly_report, scope_id=scope.pk, week=monday.isoformat())
    return len(scopes)


def unsubscribe_token(scope: StaffScope) -> str:
    return signing.dumps(scope.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe(token: str) -> StaffScope | None:
    """Stop the weekly report for the token's person; None for a forged or stale token."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    scope = StaffScope.objects.filter(pk=pk).first()
    if scope is not None and scope.weekly_report:
        scope.weekly_report = False
        scope.save(update_fields=["weekly_report"])
    return scope


def weekly_message(scope: StaffScope, monday: datetime.date) -> EmailMessage:
    user = get_user_model().objects.get(pk=scope.user_id)
    filters = DashboardFilters(date_from=monday, date_to=monday + datetime.timedelta(days=6),
                               scope=scope_for(user))
    with translation.override(settings.LANGUAGE_CODE):
        data = dashboard(filters, now=timezone.now())
        exporter = FeedbackExporter(user=user, filters=filters)
        exporter.record(fmt="xlsx")
        book = io.BytesIO()
        exporter.write("xlsx", book)
        context = {"data": data, "monday": monday, "sunday": filters.date_to,
                   "regions": scope.get_level_display() if scope.level == "national"
                   else "、".join(str(r) for r in scope.regions.all()),
                   "unsubscribe": absolute_url(reverse("feedback:weekly_unsubscribe",
                                                       args=[unsubscribe_token(scope)]))}
        subject = _("【每周报告】%(regions)s %(monday)s–%(sunday)s") % {
            "regions": context["regions"], "monday": monday.strftime("%m-%d"),
            "sunday": filters.date_to.strftime("%m-%d")}
        body = render_to_string("feedback/email/weekly_report.txt", context)
    message = EmailMessage(subject, body, to=[user.email])
    message.attach(f"feedback-{monday.isoformat()}.xlsx", book.getvalue(),
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return message


@task()
def send_weekly_report(*, scope_id: int, week: str, attempt: int = 1) -> bool:
    """Email one person their regions' report of the week starting `week`; retried."""
    monday = datetime.date.fromisoformat(week)

    def work() -> bool:
        scope = StaffScope.objects.filter(pk=scope_id, weekly_report=True).first()
        if scope is None or scope.weekly_report_sent_for == monday:
            return False
        weekly_message(scope, monday).send()
        StaffScope.objects.filter(pk=scope_id).update(weekly_report_sent_for=monday)
        return True

    return run_with_retry(send_weekly_report, attempt=attempt,
                          kwargs={"scope_id": scope_id, "week": week}, work=work)
