"""Text messages of the officer programme: a task opened for you, a report sent back, an
answer to the 问题 of a report."""

from django.utils.translation import gettext_lazy as _

from campaigns.models import OfficerApplication
from campaigns.sms.catalogue import build
from campaigns.sms.delivery import Outgoing, queue_sms, sms_source

from .models import ExperienceReport


def task_opened(officer_id: int, *, opens_at=None) -> None:
    """Text the officer when the task opens (at once if it is open already)."""
    queue_sms("officer_task_opened", officer_id, run_after=opens_at)


def report_returned(report_id: int) -> None:
    queue_sms("officer_report_returned", report_id)


def case_replied(report_id: int) -> None:
    queue_sms("officer_case_replied", report_id)


@sms_source("officer_task_opened")
def _task_opened_sms(officer_id: int) -> Outgoing | None:
    officer = OfficerApplication.objects.filter(
        pk=officer_id, status=OfficerApplication.Status.ACCEPTED, erased_at=None
    ).exclude(phone="").first()
    if officer is None:
        return None
    return Outgoing(build("task_opened", officer.phone))


@sms_source("officer_report_returned")
def _report_returned_sms(report_id: int) -> Outgoing | None:
    report = ExperienceReport.objects.select_related("task", "officer").filter(
        pk=report_id, status=ExperienceReport.Status.RETURNED, officer__erased_at=None
    ).first()
    if report is None or not report.officer.phone:
        return None
    return Outgoing(build("report_returned", report.officer.phone, task=report.task.title))


@sms_source("officer_case_replied")
def _case_replied_sms(report_id: int) -> Outgoing | None:
    report = ExperienceReport.objects.select_related("officer").filter(
        pk=report_id, case_replied_at__isnull=False, officer__erased_at=None
    ).first()
    if report is None or not report.officer.phone:
        return None
    return Outgoing(build("reply", report.officer.phone, subject=_("体验报告"),
                          reference=report.reference_display))
