"""Read-side queries of the officer programme: the officer's zone and the staff queue."""

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import timezone

from campaigns.models import OfficerApplication

from .models import ExperienceReport, ExperienceTask


def officer_for_phone(phone: str) -> OfficerApplication | None:
    """The number's accepted application whose campaign has not ended: an officer."""
    return (
        OfficerApplication.objects.select_related("activity__campaign")
        .filter(phone=phone, status=OfficerApplication.Status.ACCEPTED, erased_at=None,
                activity__campaign__ends_on__gte=timezone.localdate())
        .order_by("-created_at").first()
    )


def _targets(task: ExperienceTask, officer: OfficerApplication) -> bool:
    if task.audience == ExperienceTask.Audience.CITIES:
        return officer.city in task.cities
    if task.audience == ExperienceTask.Audience.CHOSEN:
        return officer.pk in {o.pk for o in task.officers.all()}
    return True


def open_tasks_for(officer: OfficerApplication, now=None) -> list[ExperienceTask]:
    """Published tasks in their window that target this officer, closing soonest first, each
    with `my_reports` (this officer's reports on it)."""
    now = now or timezone.now()
    tasks = (
        ExperienceTask.objects.filter(programme_id=officer.activity_id,
                                      published_at__isnull=False, opens_at__lte=now,
                                      closes_at__gt=now)
        .select_related("theme").prefetch_related(
            "officers",
            Prefetch("reports", queryset=ExperienceReport.objects.filter(officer=officer),
                     to_attr="my_reports"),
        ).order_by("closes_at", "id")
    )
    return [task for task in tasks if _targets(task, officer)]


def reports_of(officer: OfficerApplication) -> QuerySet[ExperienceReport]:
    return (ExperienceReport.objects.filter(officer=officer).select_related("task")
            .annotate(image_count=Count("images")).order_by("-updated_at", "-id"))


def officer_points(officer: OfficerApplication) -> int:
    return ExperienceReport.objects.filter(
        officer=officer, status=ExperienceReport.Status.ACCEPTED
    ).aggregate(total=Sum("points_awarded"))["total"] or 0


def review_queue() -> QuerySet[ExperienceReport]:
    """Submitted reports, oldest first (the first to have waited)."""
    return (ExperienceReport.objects.filter(status=ExperienceReport.Status.SUBMITTED)
            .select_related("task", "officer").annotate(image_count=Count("images"))
            .order_by("submitted_at", "id"))


def report_for_staff(pk: int) -> ExperienceReport:
    return (ExperienceReport.objects.select_related("task__theme", "officer", "reviewed_by")
            .prefetch_related("images").get(pk=pk))
