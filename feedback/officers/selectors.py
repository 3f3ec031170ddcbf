"""Read-side queries of the officer programme: the officer's zone, the staff queue, the
certificate and the public programme page."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Activity, OfficerApplication
from campaigns.regions import Scope, name_field

from .models import Certificate, ExperienceReport, ExperienceTask, OfficerProgramme


def _officers(**match) -> OfficerApplication | None:
    """The newest accepted application matching `match` whose campaign has not ended."""
    return (
        OfficerApplication.objects.select_related("activity__campaign", "region")
        .filter(status=OfficerApplication.Status.ACCEPTED, erased_at=None,
                activity__campaign__ends_on__gte=timezone.localdate(), **match)
        .order_by("-created_at").first()
    )


def officer_for_phone(phone: str) -> OfficerApplication | None:
    """The number's accepted application whose campaign has not ended: an officer."""
    return _officers(phone=phone)


def officer_for_references(references: list[str]) -> OfficerApplication | None:
    """An officer among the application references this browser proved (secret link)."""
    return _officers(reference__in=references) if references else None


# --- Whom a task is for: one rule, as a query (to text them) and per officer ------------


def task_targets(task: ExperienceTask) -> QuerySet[OfficerApplication]:
    """The officers a task is for: accepted applications of its programme, narrowed by city
    or by name as the task says."""
    officers = OfficerApplication.objects.filter(
        activity_id=task.programme_id, status=OfficerApplication.Status.ACCEPTED,
        erased_at=None,
    )
    if task.audience == ExperienceTask.Audience.CITIES:
        return officers.filter(region__in=task.regions.all())
    if task.audience == ExperienceTask.Audience.CHOSEN:
        return officers.filter(pk__in=task.officers.values("pk"))
    return officers


def targets(task: ExperienceTask, officer: OfficerApplication) -> bool:
    """The same rule for one officer of the task's programme (uses `task.officers` and
    `task.regions`, which the task list prefetches)."""
    if task.audience == ExperienceTask.Audience.CITIES:
        return officer.region_id in {region.pk for region in task.regions.all()}
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
            "officers", "regions",
            Prefetch("reports", queryset=ExperienceReport.objects.filter(officer=officer),
                     to_attr="my_reports"),
        ).order_by("closes_at", "id")
    )
    return [task for task in tasks if targets(task, officer)]


def reports_of(officer: OfficerApplication) -> QuerySet[ExperienceReport]:
    return (ExperienceReport.objects.filter(officer=officer).select_related("task")
            .annotate(image_count=Count("images")).order_by("-updated_at", "-id"))


def officer_points(officer: OfficerApplication) -> int:
    return ExperienceReport.objects.filter(
        officer=officer, status=ExperienceReport.Status.ACCEPTED
    ).aggregate(total=Sum("points_awarded"))["total"] or 0


def review_queue(scope: Scope) -> QuerySet[ExperienceReport]:
    """Submitted reports of officers in the scope, oldest first (the first to have waited)."""
    return (ExperienceReport.objects.filter(scope.q("officer__region"),
                                            status=ExperienceReport.Status.SUBMITTED)
            .select_related("task", "officer__region").annotate(image_count=Count("images"))
            .order_by("submitted_at", "id"))


def report_for_staff(pk: int, scope: Scope) -> ExperienceReport:
    """One report for a reviewer; outside the scope it does not exist."""
    return (ExperienceReport.objects.filter(scope.q("officer__region"))
            .select_related("task__theme", "officer__region", "reviewed_by")
            .prefetch_related("images").get(pk=pk))


def programme_settings(activity: Activity) -> OfficerProgramme:
    """The programme's settings, or the defaults when staff have not saved any."""
    return (OfficerProgramme.objects.filter(activity=activity).first()
            or OfficerProgramme(activity=activity))


@dataclass
class CertificateStanding:
    accepted: int
    points: int
    needed: int
    term_ended: bool
    ends_on: object

    @property
    def earned(self) -> bool:
        return self.term_ended and self.accepted >= self.needed

    @property
    def reason(self) -> str:
        if self.accepted < self.needed:
            return _("获得证书需要%(needed)d篇已采纳的报告，您现在有%(accepted)d篇。") % {
                "needed": self.needed, "accepted": self.accepted}
        return _("证书在本期活动结束（%(date)s）后颁发。") % {"date": self.ends_on}


def certificate_standing(officer: OfficerApplication, now=None) -> CertificateStanding:
    """How far the officer is from the certificate: the term (the campaign's last day) must
    have come, with at least the programme's number of accepted reports."""
    now = now or timezone.now()
    accepted = ExperienceReport.objects.filter(
        officer=officer, status=ExperienceReport.Status.ACCEPTED
    ).aggregate(n=Count("pk"), points=Sum("points_awarded"))
    ends_on = officer.activity.campaign.ends_on
    return CertificateStanding(
        accepted=accepted["n"], points=accepted["points"] or 0,
        needed=programme_settings(officer.activity).certificate_min_reports,
        term_ended=timezone.localdate(now) >= ends_on, ends_on=ends_on,
    )


def certificate_by_code(code: str) -> Certificate | None:
    return (Certificate.objects.select_related("officer__activity__campaign")
            .filter(code=code.strip().upper().replace("-", "")).first())


@dataclass
class CityFigures:
    city: str
    officers: int
    reports: int


def public_programme(activity: Activity) -> dict:
    """The public 体验官 page: officers and accepted reports per city, featured findings."""
    officers = OfficerApplication.objects.filter(
        activity=activity, status=OfficerApplication.Status.ACCEPTED, erased_at=None
    ).values(region_name := f"region__{name_field()}").annotate(
        n=Count("pk", distinct=True),
        reports=Count("experience_reports", distinct=True,
                      filter=Q(experience_reports__status=ExperienceReport.Status.ACCEPTED)),
    ).order_by("-n", "region")
    featured = (ExperienceReport.objects.filter(task__programme=activity, featured=True,
                                                status=ExperienceReport.Status.ACCEPTED)
                .select_related("task__theme", "officer__region").order_by("-reviewed_at")[:6])
    return {
        "cities": [CityFigures(row[region_name], row["n"], row["reports"]) for row in officers],
        "featured": list(featured),
    }
