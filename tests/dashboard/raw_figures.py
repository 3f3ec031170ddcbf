"""The dashboard's feedback and signup figures straight from the rows, without rollups.

This is how the dashboard computed them before the per-day rollups
(`feedback.reporting.rollups`): one aggregate per block over every row of the period. It is
the reference the rollup path is tested against (`tests/dashboard/test_rollup_exactness.py`).
"""

import datetime

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncDate, TruncWeek

from campaigns.models import Signup
from feedback.models import DIMENSIONS, Feedback
from feedback.reporting.days import as_local_date, local_zone
from feedback.reporting.filters import DashboardFilters
from feedback.reporting.selectors import FeedbackFigures, SignupFigures, ThemeDimensions, WeekRow
from feedback.scoring import COUNTED, DETRACTORS, PASSIVES, PROMOTERS


def raw_signup_figures(filters: DashboardFilters) -> SignupFigures:
    status = Signup.Status
    row = Signup.objects.filter(filters.signup_q()).aggregate(
        total=Count("pk"),
        confirmed=Count("pk", filter=Q(status=status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=status.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=status.CANCELLED)),
        attended=Count("pk", filter=Q(status=status.ATTENDED)),
        no_show=Count("pk", filter=Q(status=status.NO_SHOW)),
    )
    return SignupFigures(**row)


def raw_signups_by_day(filters: DashboardFilters) -> list[tuple[datetime.date, int]]:
    rows = (
        Signup.objects.filter(filters.signup_q())
        .annotate(day=TruncDate("created_at", tzinfo=local_zone()))
        .order_by()
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return [(as_local_date(row["day"]), row["n"]) for row in rows]


def raw_feedback_figures(filters: DashboardFilters, *, now: datetime.datetime) -> FeedbackFigures:
    counted = COUNTED
    case = Q(reply_due_at__isnull=False)
    dimension_avgs = {
        f"avg_{name}": Avg(name, filter=counted & Q(**{f"{name}__isnull": False}))
        for name, _label in DIMENSIONS
    }
    row = Feedback.objects.filter(filters.feedback_q()).aggregate(
        received=Count("pk", filter=counted),
        rejected=Count("pk", filter=~counted),
        average=Avg("overall_score", filter=counted),
        low=Count("pk", filter=counted & Q(overall_score__lte=6)),
        mid=Count("pk", filter=counted & Q(overall_score__gte=7, overall_score__lte=8)),
        high=Count("pk", filter=counted & Q(overall_score__gte=9)),
        promoters=Count("pk", filter=counted & PROMOTERS),
        passives=Count("pk", filter=counted & PASSIVES),
        detractors=Count("pk", filter=counted & DETRACTORS),
        complaints=Count("pk", filter=Q(kind=Feedback.Kind.COMPLAINT)),
        # The 48-hour clock counts every case, whatever its moderation state.
        cases=Count("pk", filter=case),
        on_time=Count("pk", filter=case & Q(first_replied_at__lte=F("reply_due_at"))),
        late=Count("pk", filter=case & Q(first_replied_at__gt=F("reply_due_at"))),
        overdue=Count("pk", filter=case & Q(first_replied_at__isnull=True, reply_due_at__lte=now)),
        pending=Count("pk", filter=case & Q(first_replied_at__isnull=True, reply_due_at__gt=now)),
        **dimension_avgs,
    )
    dimensions = [
        (name, str(label), row.pop(f"avg_{name}")) for name, label in DIMENSIONS
    ]
    return FeedbackFigures(**row, dimensions=dimensions)


def raw_satisfaction_distribution(filters: DashboardFilters) -> list[tuple[int, int]]:
    counts = dict(
        Feedback.objects.filter(COUNTED, filters.feedback_q())
        .order_by()
        .values_list("overall_score")
        .annotate(n=Count("pk"))
    )
    return [(score, counts.get(score, 0)) for score in range(1, 11)]


def raw_nps_by_week(filters: DashboardFilters) -> list[WeekRow]:
    rows = (
        Feedback.objects.filter(COUNTED, filters.feedback_q())
        .annotate(week=TruncWeek("created_at", tzinfo=local_zone()))
        .order_by()
        .values("week")
        .annotate(
            ratings=Count("pk"),
            promoters=Count("pk", filter=PROMOTERS),
            detractors=Count("pk", filter=DETRACTORS),
        )
        .order_by("week")
    )
    return [
        WeekRow(
            week=as_local_date(row["week"]),
            ratings=row["ratings"],
            promoters=row["promoters"],
            detractors=row["detractors"],
        )
        for row in rows
    ]


def raw_dimensions_by_theme(filters: DashboardFilters) -> list[ThemeDimensions]:
    rows = (
        Feedback.objects.filter(COUNTED, filters.feedback_q())
        .order_by()
        .values("theme", "theme__name", "theme__order")
        .annotate(**{f"avg_{name}": Avg(name) for name, _label in DIMENSIONS})
        .order_by("theme__order", "theme")
    )
    return [
        ThemeDimensions(
            theme=row["theme__name"],
            averages=[row[f"avg_{name}"] for name, _label in DIMENSIONS],
        )
        for row in rows
    ]
