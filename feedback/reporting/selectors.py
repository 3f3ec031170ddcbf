"""Reads for the staff dashboard, the printable report and the report exports.

Every block is a fixed number of aggregate queries in the database (conditional `Count`/`Sum`
with `filter=Q(...)`, `values().annotate()` for series), so the dashboard runs the same number
of queries whatever the number of rows. Nothing here loops over rows in Python; the few loops
are over grouped results (ten scores, a handful of themes, weeks or days).

The feedback figures add up per-day rollups (`feedback.reporting.rollups`) for the past days
whose rollup is fresh and the feedback rows themselves for every other day (today, stale or
unbuilt days): `feedback_stats()`, three queries, exact. `tests/dashboard/raw_figures.py`
computes the same figures from the rows alone (the reference the tests compare against).
"""

import datetime
import functools
import operator
from dataclasses import dataclass, field

from django.db.models import Count, DateField, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from campaigns.clock import overdue_q
from campaigns.content import ContentText, content_columns, content_value, text_of
from campaigns.models import (
    Activity,
    OfficerApplication,
    ReceptionCase,
    Region,
    Session,
    Signup,
    Theme,
)
from campaigns.regions import Scope
from feedback.models import (
    DIMENSIONS,
    FEEDBACK_ROLLUP_FIELDS,
    OVERALL_SCORES,
    SIGNUP_ROLLUP_FIELDS,
    Feedback,
    FeedbackDayStats,
    RollupDay,
    SignupDayStats,
)
from feedback.officers.models import ExperienceReport
from feedback.scoring import nps, percent
from feedback.selectors import overdue_feedback_q

from . import rollups
from .days import as_local_date, day_start, local_zone, today
from .filters import DashboardFilters
from .officer_figures import OfficerFigures, officer_figures, overdue_report_cases
from .regional import (
    RegionTable,
    area_key,
    by_city,
    open_escalations,
    pending_by_region,
    region_table,
)

OVERDUE_LIST_LIMIT = 20
SESSION_LIST_LIMIT = 100


# --- Headline figures -------------------------------------------------------------------


@dataclass
class SignupFigures:
    total: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    attended: int = 0
    no_show: int = 0


def signup_figures(
    filters: DashboardFilters,
    *,
    now: datetime.datetime | None = None,
    stats: "SignupStats | None" = None,
) -> SignupFigures:
    """Signups by status; `stats` from `signup_stats()` saves its queries."""
    stats = stats or signup_stats(filters, now=now or timezone.now())
    return SignupFigures(
        **{
            name: sum(counts[name] for counts in stats.days.values())
            for name in SIGNUP_ROLLUP_FIELDS
        }
    )


@dataclass
class FillRow:
    pk: int
    label: ContentText  # the activity's title, as the page shows it
    capacity: int
    taken: int

    @property
    def percent(self) -> float | None:
        return percent(self.taken, self.capacity)


def session_fill(filters: DashboardFilters) -> list[Session]:
    """The sessions of the period, soonest first, with places taken (one query, capped)."""
    return list(
        Session.objects.filter(filters.session_q())
        .select_related("activity", "region")
        .order_by("starts_at", "id")[:SESSION_LIST_LIMIT]
    )


def fill_by_activity(filters: DashboardFilters) -> list[FillRow]:
    title = "activity__title"
    rows = (
        Session.objects.filter(filters.session_q())
        .order_by()
        .values("activity", *content_columns(title), "activity__order")
        .annotate(capacity=Sum("capacity"), taken=Sum("places_taken"))
        .order_by("activity__order", "activity")
    )
    return [
        FillRow(
            pk=row["activity"],
            label=content_value(row, title),
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
        return nps(promoters=self.promoters, detractors=self.detractors, ratings=self.received)

    def share(self, count: int) -> float | None:
        return percent(count, self.received)

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
        return percent(self.on_time, self.decided)


# --- Rollups and rows -------------------------------------------------------------------
#
# A past day whose rollup is fresh is read from the rollup rows, every other day (today,
# days not built or changed since) from the rows themselves; one query each, so the sums are
# the raw sums exactly (feedback/reporting/rollups.py).


@dataclass
class Split:
    """Which days come from the rollup and which from the rows, for one subject."""

    rollup: Q  # on the rollup's `day`
    rows: Q  # on the rows' `created_at`


def fresh_days(filters: DashboardFilters, *, now: datetime.datetime) -> dict[str, Split]:
    """The fresh past days of the period, per subject (feedback, signups): one query."""
    first_live_day = today(now)
    fresh: dict[str, list[datetime.date]] = {rollup.subject: [] for rollup in rollups.ROLLUPS}
    for subject, day in (
        RollupDay.objects.filter(
            filters.days_q(), day__lt=first_live_day, built_version=F("version")
        )
        .order_by("day")
        .values_list("subject", "day")
    ):
        fresh[subject].append(day)
    return {subject: _split(days) for subject, days in fresh.items()}


def _split(days: list[datetime.date]) -> Split:
    # Without fresh days the rollup query matches nothing, but it still runs: the dashboard's
    # query count does not depend on what was built.
    in_rollup = Q(day__isnull=True)
    # The rows read directly: those created in a gap between runs of fresh days.
    gaps, gap_start = [], None
    for first, last in _day_runs(days):
        in_rollup |= Q(day__gte=first, day__lte=last)
        gap = Q(created_at__lt=day_start(first))
        if gap_start is not None:
            gap &= Q(created_at__gte=gap_start)
        gaps.append(gap)
        gap_start = day_start(last + datetime.timedelta(days=1))
    rows = Q()
    if gap_start is not None:
        rows = functools.reduce(operator.or_, gaps, Q(created_at__gte=gap_start))
    return Split(rollup=in_rollup, rows=rows)


def _day_runs(days: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive days as (first, last) runs."""
    runs: list[tuple[datetime.date, datetime.date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][1] == datetime.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


@dataclass
class SignupStats:
    days: dict[datetime.date, dict[str, int]]  # local day → counts by status, and total
    stale_days: int = 0  # past days read row by row that could be rolled up


def signup_stats(
    filters: DashboardFilters, *, now: datetime.datetime, split: Split | None = None
) -> SignupStats:
    """Signups per local day and status: two queries (and one for `split` if not given)."""
    split = split or fresh_days(filters, now=now)[rollups.SIGNUPS.subject]
    rolled = (
        SignupDayStats.objects.filter(filters.signup_rollup_q(), split.rollup)
        .order_by()
        .values("day")
        .annotate(**rollups.sums(SIGNUP_ROLLUP_FIELDS))
    )
    raw = (
        Signup.objects.filter(filters.signup_q(), split.rows)
        .annotate(day=TruncDate("created_at", tzinfo=local_zone()))
        .order_by()
        .values("day")
        .annotate(**rollups.signup_aggregates())
    )
    days: dict[datetime.date, dict[str, int]] = {}
    settled, stale = rollups.settled_before(now), 0
    for source in (rolled, raw):
        for row in source:
            day = as_local_date(row["day"])
            if source is raw and day < settled:
                stale += 1
            counts = days.setdefault(day, dict.fromkeys(SIGNUP_ROLLUP_FIELDS, 0))
            for name in SIGNUP_ROLLUP_FIELDS:
                counts[name] += row[name] or 0
    return SignupStats(days=days, stale_days=stale)


@dataclass
class FeedbackCell:
    """Sums of FEEDBACK_ROLLUP_FIELDS over the feedback of one week, theme, moderation
    outcome (counted or rejected) and area: a province (its two code digits), or a city
    (its code) when the filters drill down into one province; "" for national feedback."""

    week: datetime.date
    theme: int
    theme_name: ContentText  # as the page shows it
    theme_order: int
    counted: bool
    area: str
    sums: dict[str, int]


@dataclass
class FeedbackStats:
    cells: list[FeedbackCell]
    stale_days: int = 0  # past days read row by row that could be rolled up

    def by_area(self, names, *, counted: bool | None = True) -> dict[str, dict[str, int]]:
        """Sums of the columns `names` per area (cells as in `total`)."""
        areas: dict[str, dict[str, int]] = {}
        for cell in self.cells:
            if counted is None or cell.counted == counted:
                sums = areas.setdefault(cell.area, dict.fromkeys(names, 0))
                for name in names:
                    sums[name] += cell.sums[name]
        return areas

    def total(self, name: str, *, counted: bool | None = True) -> int:
        """Sum of a column over counted cells (`counted=None`: over every cell)."""
        return self._totals[counted][name]

    @functools.cached_property
    def _totals(self) -> dict[bool | None, dict[str, int]]:
        # One pass over the cells for every column: the figures ask for dozens of totals.
        totals = {flag: dict.fromkeys(FEEDBACK_ROLLUP_FIELDS, 0) for flag in (True, False)}
        for cell in self.cells:
            sums = totals[cell.counted]
            for name, value in cell.sums.items():
                sums[name] += value
        totals[None] = {name: totals[True][name] + totals[False][name]
                        for name in FEEDBACK_ROLLUP_FIELDS}
        return totals


def feedback_stats(
    filters: DashboardFilters, *, now: datetime.datetime, split: Split | None = None
) -> FeedbackStats:
    """The sums behind every feedback figure, per week, theme, counted/rejected and area
    (the regions' table compares the areas from the same sums): two queries (and one for
    `split` if not given)."""
    split = split or fresh_days(filters, now=now)[rollups.FEEDBACK.subject]
    # Grouped by the theme's id only: joining themes to group by their names made PostgreSQL
    # sort the rows by text; the names come from one small query below.
    group = ("theme", "counted", "area")
    area = area_key("region", cities=by_city(filters))
    rolled = (
        FeedbackDayStats.objects.filter(filters.feedback_rollup_q(), split.rollup)
        # As a date: a timestamp per row would be parsed and converted to the local zone.
        .annotate(week=TruncWeek("day", output_field=DateField()), area=area)
        .order_by()
        .values("week", *group)
        .annotate(**rollups.sums(FEEDBACK_ROLLUP_FIELDS))
    )
    raw = (
        Feedback.objects.filter(filters.feedback_q(), split.rows)
        .annotate(day=TruncDate("created_at", tzinfo=local_zone()), counted=rollups.COUNTED,
                  area=area)
        .order_by()
        .values("day", *group)
        .annotate(**rollups.feedback_aggregates())
    )
    cells: dict[tuple, FeedbackCell] = {}
    settled, stale = rollups.settled_before(now), set()
    themes = {theme.pk: theme for theme in Theme.objects.all()}

    def add(row, week):
        key = (week, row["theme"], row["counted"], row["area"])
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = FeedbackCell(
                week=week,
                theme=row["theme"],
                theme_name=text_of(themes[row["theme"]], "name"),
                theme_order=themes[row["theme"]].order,
                counted=row["counted"],
                area=row["area"],
                sums=dict.fromkeys(FEEDBACK_ROLLUP_FIELDS, 0),
            )
        for name in FEEDBACK_ROLLUP_FIELDS:
            cell.sums[name] += row[name] or 0

    for row in rolled:
        add(row, as_local_date(row["week"]))
    for row in raw:
        day = as_local_date(row["day"])
        if day < settled:
            stale.add(day)
        add(row, day - datetime.timedelta(days=day.weekday()))
    return FeedbackStats(cells=list(cells.values()), stale_days=len(stale))


def feedback_figures(
    filters: DashboardFilters,
    *,
    now: datetime.datetime,
    stats: FeedbackStats | None = None,
    pending: int | None = None,
) -> FeedbackFigures:
    """Headline feedback figures; `stats` from `feedback_stats()` saves its queries.

    Whether an unanswered case is overdue depends on the clock: the rollups count the
    unanswered cases, and the ones still within their deadline (due after `now`, a few days'
    worth at most) are counted live, through a partial index of the unanswered cases."""
    stats = stats or feedback_stats(filters, now=now)
    if pending is None:
        pending = sum(pending_by_region(filters, now=now).values())
    total = stats.total

    def scores(first: int, last: int) -> int:
        return sum(total(f"overall_{score}") for score in range(first, last + 1))

    return FeedbackFigures(
        received=total("rows"),
        rejected=total("rows", counted=False),
        average=rollups.exact_average(total("overall_sum"), total("rows")),
        low=scores(1, 6),
        mid=scores(7, 8),
        high=scores(9, 10),
        promoters=total("promoters"),
        passives=total("passives"),
        detractors=total("detractors"),
        complaints=total("complaints", counted=None),
        # The 48-hour clock counts every case, whatever its moderation state.
        cases=total("cases", counted=None),
        on_time=total("on_time", counted=None),
        late=total("late", counted=None),
        overdue=total("unanswered", counted=None) - pending,
        pending=pending,
        dimensions=[
            (
                name,
                str(label),
                rollups.exact_average(total(f"{name}_sum"), total(f"{name}_count")),
            )
            for name, label in DIMENSIONS
        ],
    )


def overdue_feedback(filters: DashboardFilters, *, now) -> list[Feedback]:
    return list(
        Feedback.objects.filter(filters.feedback_q(), overdue_feedback_q(now))
        .select_related("theme", "activity")
        .order_by("reply_due_at", "id")[:OVERDUE_LIST_LIMIT]
    )


def overdue_reception_cases(filters: DashboardFilters, *, now) -> list[ReceptionCase]:
    return list(
        ReceptionCase.objects.filter(filters.reception_q(), overdue_q(ReceptionCase, now))
        .select_related("signup__session__activity")
        .order_by("first_reply_due_at", "id")[:OVERDUE_LIST_LIMIT]
    )


# --- Series for the charts --------------------------------------------------------------


def satisfaction_distribution(
    filters: DashboardFilters,
    *,
    now: datetime.datetime | None = None,
    stats: FeedbackStats | None = None,
) -> list[tuple[int, int]]:
    """(score, count) for every overall score 1–10, zeros included."""
    stats = stats or feedback_stats(filters, now=now or timezone.now())
    return [(score, stats.total(f"overall_{score}")) for score in OVERALL_SCORES]


@dataclass
class WeekRow:
    week: datetime.date
    ratings: int
    promoters: int
    detractors: int

    @property
    def nps(self) -> int | None:
        return nps(promoters=self.promoters, detractors=self.detractors, ratings=self.ratings)


def nps_by_week(
    filters: DashboardFilters,
    *,
    now: datetime.datetime | None = None,
    stats: FeedbackStats | None = None,
) -> list[WeekRow]:
    """Counted ratings per week (Monday, Asia/Shanghai), weeks without ratings left out."""
    stats = stats or feedback_stats(filters, now=now or timezone.now())
    weeks: dict[datetime.date, WeekRow] = {}
    for cell in stats.cells:
        if not cell.counted:
            continue
        row = weeks.setdefault(cell.week, WeekRow(week=cell.week, ratings=0, promoters=0,
                                                  detractors=0))
        row.ratings += cell.sums["rows"]
        row.promoters += cell.sums["promoters"]
        row.detractors += cell.sums["detractors"]
    return [weeks[week] for week in sorted(weeks)]


def signups_by_day(
    filters: DashboardFilters,
    *,
    now: datetime.datetime | None = None,
    stats: SignupStats | None = None,
) -> list[tuple[datetime.date, int]]:
    """(local day, signups made that day), days without signups left out."""
    stats = stats or signup_stats(filters, now=now or timezone.now())
    return [(day, stats.days[day]["total"]) for day in sorted(stats.days)]


@dataclass
class ThemeDimensions:
    theme: ContentText  # the theme's name, as the page shows it
    averages: list[float | None]


def dimensions_by_theme(
    filters: DashboardFilters,
    *,
    now: datetime.datetime | None = None,
    stats: FeedbackStats | None = None,
) -> list[ThemeDimensions]:
    """Average of each dimension per theme (counted ratings, "未体验" left out), themes in
    their order; themes without counted ratings left out."""
    stats = stats or feedback_stats(filters, now=now or timezone.now())
    themes: dict[int, tuple[tuple[int, int], str, dict[str, int]]] = {}
    for cell in stats.cells:
        if not cell.counted:
            continue
        _order, _name, sums = themes.setdefault(
            cell.theme, ((cell.theme_order, cell.theme), cell.theme_name, {})
        )
        for name, value in cell.sums.items():
            sums[name] = sums.get(name, 0) + value
    return [
        ThemeDimensions(
            theme=theme_name,
            averages=[
                rollups.exact_average(sums[f"{name}_sum"], sums[f"{name}_count"])
                for name, _label in DIMENSIONS
            ],
        )
        for _key, theme_name, sums in sorted(themes.values(), key=lambda item: item[0])
    ]


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
    officers: OfficerFigures
    overdue_reports: list[ExperienceReport]
    distribution: list[tuple[int, int]]
    weeks: list[WeekRow]
    days: list[tuple[datetime.date, int]]
    theme_dimensions: list[ThemeDimensions]
    regions: RegionTable
    escalations: list[tuple[str, int]]
    # Past days whose feedback was read row by row (worth a rollup build).
    stale_days: int = 0

    @property
    def fill_total(self) -> FillRow:
        return FillRow(
            pk=0,
            label=ContentText(""),
            capacity=sum(row.capacity for row in self.fill),
            taken=sum(row.taken for row in self.fill),
        )

    @property
    def applications_total(self) -> int:
        return sum(count for _value, _label, count in self.applications)

    @property
    def overdue_rows(self) -> list["OverdueRow"]:
        """Overdue feedback cases, GM-reception cases and officers' report cases in one list,
        earliest deadline first."""
        rows = [OverdueRow(due=f.reply_due_at, feedback=f) for f in self.overdue]
        rows += [OverdueRow(due=c.first_reply_due_at, case=c) for c in self.overdue_reception]
        rows += [OverdueRow(due=r.case_due_at, report=r) for r in self.overdue_reports]
        return sorted(rows, key=lambda row: row.due)


@dataclass
class OverdueRow:
    due: datetime.datetime
    feedback: Feedback | None = None
    case: ReceptionCase | None = None
    report: ExperienceReport | None = None


def dashboard(filters: DashboardFilters, *, now: datetime.datetime, sort: str = "") -> Dashboard:
    """All figures, lists, series and the regions' table (sorted by `sort`): a fixed number
    of queries, whatever the data size."""
    split = fresh_days(filters, now=now)
    stats = feedback_stats(filters, now=now, split=split[rollups.FEEDBACK.subject])
    signups = signup_stats(filters, now=now, split=split[rollups.SIGNUPS.subject])
    pending = pending_by_region(filters, now=now)
    return Dashboard(
        filters=filters,
        now=now,
        signups=signup_figures(filters, stats=signups),
        sessions=session_fill(filters),
        fill=fill_by_activity(filters),
        applications=application_figures(filters),
        feedback=feedback_figures(filters, now=now, stats=stats,
                                  pending=sum(pending.values())),
        overdue=overdue_feedback(filters, now=now),
        overdue_reception=overdue_reception_cases(filters, now=now),
        officers=officer_figures(filters),
        overdue_reports=overdue_report_cases(filters, now=now),
        distribution=satisfaction_distribution(filters, stats=stats),
        weeks=nps_by_week(filters, stats=stats),
        days=signups_by_day(filters, stats=signups),
        theme_dimensions=dimensions_by_theme(filters, stats=stats),
        regions=region_table(filters, now=now, split=split, sort=sort, stats=stats,
                             pending=pending),
        escalations=open_escalations(filters, now=now),
        stale_days=stats.stale_days + signups.stale_days,
    )


def filter_choices(scope: Scope) -> tuple[list[Activity], list[Theme], list[Region]]:
    """Activities, themes and regions for the filter form: three queries. The regions are
    those of the scope that have sessions, officer quotas or feedback, with their
    provinces."""
    activities = list(Activity.objects.filter(scope.q("region"))
                      .order_by("order", "id").only("pk", "title"))
    themes = list(Theme.objects.order_by("campaign", "order", "id").only("pk", "name"))
    in_use = (Q(sessions__isnull=False) | Q(officer_quotas__isnull=False)
              | Q(feedback__isnull=False))
    used = Region.objects.filter(in_use).values("pk")
    regions = list(
        scope.regions().filter(Q(pk__in=used) | Q(cities__in=used))
        .distinct().order_by("code").only("code", "name", "name_en", "level")
    )
    return activities, themes, regions


def feedback_rows(filters: DashboardFilters) -> QuerySet[Feedback]:
    """The rows behind the feedback report (every state; the export shows the state)."""
    return Feedback.objects.filter(filters.feedback_q()).order_by("created_at", "id")
