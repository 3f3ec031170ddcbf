"""Reads for the staff dashboard, the printable report and the report exports.

Every block is one aggregate query in the database (conditional `Count`/`Avg` with
`filter=Q(...)`, `values().annotate()` for series), so the dashboard runs the same number of
queries whatever the number of rows. Nothing here loops over rows in Python; the few loops
are over grouped results (ten scores, a handful of themes, weeks or days).
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncWeek

from campaigns.models import (
    Activity,
    OfficerApplication,
    OfficerQuota,
    ReceptionCase,
    Session,
    Signup,
    Theme,
)

from .models import DIMENSIONS, Feedback
from .selectors import COUNTED, open_cases

OVERDUE_LIST_LIMIT = 20
SESSION_LIST_LIMIT = 100


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in Asia/Shanghai, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=local_zone())


@dataclass(frozen=True)
class DashboardFilters:
    """Activity, activity kind, theme, city and a date range (local days, both included)."""

    activity: Activity | None = None
    kind: str = ""
    theme: Theme | None = None
    city: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def _dates(self, path: str) -> Q:
        q = Q()
        if self.date_from:
            q &= Q(**{f"{path}__gte": day_start(self.date_from)})
        if self.date_to:
            q &= Q(**{f"{path}__lt": day_start(self.date_to + datetime.timedelta(days=1))})
        return q

    def _activity(self, path: str) -> Q:
        """Filters on the activity that the foreign key at `path` points to."""
        q = Q()
        if self.activity is not None:
            q &= Q(**{path: self.activity.pk})
        if self.kind:
            q &= Q(**{f"{path}__kind": self.kind})
        if self.theme is not None:
            # A subquery, not a join over the many-to-many: no duplicated rows.
            q &= Q(**{f"{path}__in": Activity.objects.filter(themes=self.theme).values("pk")})
        return q

    def feedback_q(self) -> Q:
        q = self._dates("created_at")
        if self.activity is not None:
            q &= Q(activity=self.activity)
        if self.kind:
            q &= Q(activity__kind=self.kind)
        if self.theme is not None:
            q &= Q(theme=self.theme)
        if self.city:
            q &= Q(Exists(Session.objects.filter(activity=OuterRef("activity"), city=self.city)))
        return q

    def signup_q(self) -> Q:
        q = self._dates("created_at") & self._activity("session__activity")
        if self.city:
            q &= Q(session__city=self.city)
        return q

    def session_q(self) -> Q:
        q = self._dates("starts_at") & self._activity("activity")
        if self.city:
            q &= Q(city=self.city)
        return q

    def application_q(self) -> Q:
        q = self._dates("created_at") & self._activity("activity")
        if self.city:
            q &= Q(city=self.city)
        return q

    def reception_q(self) -> Q:
        q = self._activity("signup__session__activity")
        if self.city:
            q &= Q(signup__session__city=self.city)
        return q & self._dates("signup__created_at")

    # --- Links and descriptions --------------------------------------------------------

    def as_params(self) -> dict[str, str]:
        params = {}
        if self.activity is not None:
            params["activity"] = str(self.activity.pk)
        if self.kind:
            params["kind"] = self.kind
        if self.theme is not None:
            params["theme"] = str(self.theme.pk)
        if self.city:
            params["city"] = self.city
        if self.date_from:
            params["date_from"] = self.date_from.isoformat()
        if self.date_to:
            params["date_to"] = self.date_to.isoformat()
        return params

    @classmethod
    def from_params(cls, params: dict[str, str]) -> "DashboardFilters":
        """The filters `as_params()` gave (stored with a background export). A filtered
        activity or theme that no longer exists raises DoesNotExist: never "everything"."""
        return cls(
            activity=Activity.objects.get(pk=params["activity"]) if "activity" in params else None,
            kind=params.get("kind", ""),
            theme=Theme.objects.get(pk=params["theme"]) if "theme" in params else None,
            city=params.get("city", ""),
            date_from=datetime.date.fromisoformat(params["date_from"])
            if "date_from" in params else None,
            date_to=datetime.date.fromisoformat(params["date_to"]) if "date_to" in params else None,
        )

    @property
    def query(self) -> str:
        return urlencode(self.as_params())

    def queue_query(self, **extra) -> str:
        """Parameters of the staff feedback queue (it knows theme, activity and city)."""
        params = {}
        if self.theme is not None:
            params["theme"] = self.theme.pk
        if self.activity is not None:
            params["activity"] = self.activity.pk
        if self.city:
            params["city"] = self.city
        params.update(extra)
        return urlencode(params)

    def admin_query(self, *, activity: str, kind: str, city: str, **extra) -> str:
        """Parameters of an admin change list, given the lookups of its list filters."""
        params = {}
        if self.activity is not None:
            params[activity] = self.activity.pk
        if self.kind and kind != "-":  # "-": the list has no such filter
            params[kind] = self.kind
        if self.city:
            params[city] = self.city
        params.update(extra)
        return urlencode(params)

    def describe(self) -> list[tuple[str, str]]:
        """(label, value) pairs for a report header; labels are lazy translations."""
        from django.utils.translation import gettext as _

        rows = []
        if self.activity is not None:
            rows.append((_("活动"), self.activity.title))
        if self.kind:
            rows.append((_("活动类型"), str(Activity.Kind(self.kind).label)))
        if self.theme is not None:
            rows.append((_("主题"), self.theme.name))
        if self.city:
            rows.append((_("城市"), self.city))
        if self.date_from or self.date_to:
            rows.append(
                (
                    _("日期"),
                    f"{self.date_from.isoformat() if self.date_from else '…'} – "
                    f"{self.date_to.isoformat() if self.date_to else '…'}",
                )
            )
        return rows


# --- Headline figures -------------------------------------------------------------------


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class SignupFigures:
    total: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    attended: int = 0
    no_show: int = 0


def signup_figures(filters: DashboardFilters) -> SignupFigures:
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


@dataclass
class FillRow:
    pk: int
    label: str
    capacity: int
    taken: int

    @property
    def percent(self) -> float | None:
        return _percent(self.taken, self.capacity)


def session_fill(filters: DashboardFilters) -> list[Session]:
    """The sessions of the period, soonest first, with places taken (one query, capped)."""
    return list(
        Session.objects.filter(filters.session_q())
        .select_related("activity")
        .order_by("starts_at", "id")[:SESSION_LIST_LIMIT]
    )


def fill_by_activity(filters: DashboardFilters) -> list[FillRow]:
    rows = (
        Session.objects.filter(filters.session_q())
        .order_by()
        .values("activity", "activity__title", "activity__order")
        .annotate(capacity=Sum("capacity"), taken=Sum("places_taken"))
        .order_by("activity__order", "activity")
    )
    return [
        FillRow(
            pk=row["activity"],
            label=row["activity__title"],
            capacity=row["capacity"] or 0,
            taken=row["taken"] or 0,
        )
        for row in rows
    ]


def application_figures(filters: DashboardFilters) -> list[tuple[str, str, int]]:
    """(status, label, count) for every application state, zeros included."""
    counts = dict(
        OfficerApplication.objects.filter(filters.application_q())
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return [
        (value, str(label), counts.get(value, 0))
        for value, label in OfficerApplication.Status.choices
    ]


@dataclass
class FeedbackFigures:
    received: int = 0  # every feedback but rejected ones (spam, abuse)
    rejected: int = 0
    average: float | None = None
    low: int = 0  # overall 1–6
    mid: int = 0  # 7–8
    high: int = 0  # 9–10
    promoters: int = 0  # recommendation 9–10
    passives: int = 0  # 7–8
    detractors: int = 0  # 0–6
    complaints: int = 0
    cases: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0
    dimensions: list[tuple[str, str, float | None]] = field(default_factory=list)

    @property
    def nps(self) -> int | None:
        if not self.received:
            return None
        return round(100 * (self.promoters - self.detractors) / self.received)

    def share(self, count: int) -> float | None:
        return _percent(count, self.received)

    @property
    def low_percent(self):
        return self.share(self.low)

    @property
    def mid_percent(self):
        return self.share(self.mid)

    @property
    def high_percent(self):
        return self.share(self.high)

    @property
    def promoters_percent(self):
        return self.share(self.promoters)

    @property
    def passives_percent(self):
        return self.share(self.passives)

    @property
    def detractors_percent(self):
        return self.share(self.detractors)

    @property
    def decided(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def on_time_percent(self) -> float | None:
        """Share of cases answered within the deadline, of those whose outcome is known
        (answered, or overdue); cases still within their deadline are not counted (as on the
        public scoreboard)."""
        return _percent(self.on_time, self.decided)


def feedback_figures(filters: DashboardFilters, *, now: datetime.datetime) -> FeedbackFigures:
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
        promoters=Count("pk", filter=counted & Q(recommend_score__gte=9)),
        passives=Count("pk", filter=counted & Q(recommend_score__gte=7, recommend_score__lte=8)),
        detractors=Count("pk", filter=counted & Q(recommend_score__lte=6)),
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


def overdue_feedback(filters: DashboardFilters, *, now) -> list[Feedback]:
    return list(
        Feedback.objects.filter(filters.feedback_q(), open_cases(), reply_due_at__lte=now)
        .select_related("theme", "activity")
        .order_by("reply_due_at", "id")[:OVERDUE_LIST_LIMIT]
    )


def overdue_reception_cases(filters: DashboardFilters, *, now) -> list[ReceptionCase]:
    return list(
        ReceptionCase.objects.filter(
            filters.reception_q(), first_replied_at__isnull=True, first_reply_due_at__lte=now
        )
        .select_related("signup__session__activity")
        .order_by("first_reply_due_at", "id")[:OVERDUE_LIST_LIMIT]
    )


# --- Series for the charts --------------------------------------------------------------


def satisfaction_distribution(filters: DashboardFilters) -> list[tuple[int, int]]:
    """(score, count) for every overall score 1–10, zeros included."""
    counts = dict(
        Feedback.objects.filter(COUNTED, filters.feedback_q())
        .order_by()
        .values_list("overall_score")
        .annotate(n=Count("pk"))
    )
    return [(score, counts.get(score, 0)) for score in range(1, 11)]


@dataclass
class WeekRow:
    week: datetime.date
    ratings: int
    promoters: int
    detractors: int

    @property
    def nps(self) -> int | None:
        if not self.ratings:
            return None
        return round(100 * (self.promoters - self.detractors) / self.ratings)


def nps_by_week(filters: DashboardFilters) -> list[WeekRow]:
    rows = (
        Feedback.objects.filter(COUNTED, filters.feedback_q())
        .annotate(week=TruncWeek("created_at", tzinfo=local_zone()))
        .order_by()
        .values("week")
        .annotate(
            ratings=Count("pk"),
            promoters=Count("pk", filter=Q(recommend_score__gte=9)),
            detractors=Count("pk", filter=Q(recommend_score__lte=6)),
        )
        .order_by("week")
    )
    return [
        WeekRow(
            week=_as_date(row["week"]),
            ratings=row["ratings"],
            promoters=row["promoters"],
            detractors=row["detractors"],
        )
        for row in rows
    ]


def signups_by_day(filters: DashboardFilters) -> list[tuple[datetime.date, int]]:
    rows = (
        Signup.objects.filter(filters.signup_q())
        .annotate(day=TruncDate("created_at", tzinfo=local_zone()))
        .order_by()
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return [(_as_date(row["day"]), row["n"]) for row in rows]


@dataclass
class ThemeDimensions:
    theme: str
    averages: list[float | None]


def dimensions_by_theme(filters: DashboardFilters) -> list[ThemeDimensions]:
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


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.astimezone(local_zone()).date() if value.tzinfo else value.date()
    return value


# --- Everything the dashboard and the report show ---------------------------------------


@dataclass
class Dashboard:
    filters: DashboardFilters
    now: datetime.datetime
    signups: SignupFigures
    sessions: list[Session]
    fill: list[FillRow]
    applications: list[tuple[str, str, int]]
    feedback: FeedbackFigures
    overdue: list[Feedback]
    overdue_reception: list[ReceptionCase]
    distribution: list[tuple[int, int]]
    weeks: list[WeekRow]
    days: list[tuple[datetime.date, int]]
    theme_dimensions: list[ThemeDimensions]

    @property
    def fill_total(self) -> FillRow:
        return FillRow(
            pk=0,
            label="",
            capacity=sum(row.capacity for row in self.fill),
            taken=sum(row.taken for row in self.fill),
        )

    @property
    def applications_total(self) -> int:
        return sum(count for _value, _label, count in self.applications)


def dashboard(filters: DashboardFilters, *, now: datetime.datetime) -> Dashboard:
    """All figures, lists and series: 11 queries, whatever the data size."""
    return Dashboard(
        filters=filters,
        now=now,
        signups=signup_figures(filters),
        sessions=session_fill(filters),
        fill=fill_by_activity(filters),
        applications=application_figures(filters),
        feedback=feedback_figures(filters, now=now),
        overdue=overdue_feedback(filters, now=now),
        overdue_reception=overdue_reception_cases(filters, now=now),
        distribution=satisfaction_distribution(filters),
        weeks=nps_by_week(filters),
        days=signups_by_day(filters),
        theme_dimensions=dimensions_by_theme(filters),
    )


def filter_choices() -> tuple[list[Activity], list[Theme], list[str]]:
    """Activities, themes and cities for the filter form: three queries."""
    activities = list(Activity.objects.order_by("order", "id").only("pk", "title"))
    themes = list(Theme.objects.order_by("campaign", "order", "id").only("pk", "name"))
    # Session cities and officer-quota cities, in one UNION query.
    cities = list(
        Session.objects.filter(is_online=False)
        .order_by()
        .values_list("city", flat=True)
        .union(OfficerQuota.objects.order_by().values_list("city", flat=True))
        .order_by("city")
    )
    return activities, themes, cities


def feedback_rows(filters: DashboardFilters) -> QuerySet[Feedback]:
    """The rows behind the feedback report (every state; the export shows the state)."""
    return Feedback.objects.filter(filters.feedback_q()).order_by("created_at", "id")
