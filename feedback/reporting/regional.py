"""Regions side by side on the dashboard: per province (or, inside a province, per city) the
signups, fill rate, satisfaction, NPS, share of cases first answered within the commitment and
cases overdue now.

Read like the headline figures: fresh past days from the rollups (which keep the region code,
so a province is the rows whose code starts with its two digits), the rest from the rows, in
the same few queries whatever the data size.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum, Value
from django.db.models.functions import Coalesce, Substr

from campaigns.clock import overdue_q
from campaigns.models import Escalation, ReceptionCase, Region, Session, Signup
from campaigns.regions import is_province
from feedback.models import Feedback, SignupDayStats
from feedback.scoring import nps, percent

from . import rollups
from .filters import DashboardFilters

# The columns a visitor may sort the table by (the first is the default, highest first).
SORTS = ("signups", "fill_rate", "satisfaction", "nps", "on_time_share", "overdue")
# Scores count feedback that was not rejected; the 48-hour clock counts every case (as the
# headline figures do).
SCORE_SUMS = ("rows", "overall_sum", "promoters", "detractors")
CASE_SUMS = ("cases", "on_time", "late", "unanswered")
FEEDBACK_SUMS = (*SCORE_SUMS, *CASE_SUMS)


@dataclass
class RegionRow:
    code: str
    name: str = ""
    signups: int = 0
    capacity: int = 0
    taken: int = 0
    overdue: int = 0
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FEEDBACK_SUMS, 0))

    @property
    def fill_rate(self) -> float | None:
        return percent(self.taken, self.capacity)

    @property
    def satisfaction(self) -> float | None:
        rows = self.sums["rows"]
        return round(self.sums["overall_sum"] / rows, 2) if rows else None

    @property
    def nps(self) -> float | None:
        return nps(promoters=self.sums["promoters"], detractors=self.sums["detractors"],
                   ratings=self.sums["rows"])

    @property
    def on_time_share(self) -> float | None:
        return percent(self.sums["on_time"], self.sums["cases"])


@dataclass
class RegionTable:
    level: str  # "province" (the whole country) or "city" (inside one province)
    rows: list[RegionRow]
    sort: str


def area_key(column: str, *, cities: bool):
    """The group: a city's whole code, or a province's two digits; "" for national rows."""
    value = Coalesce(column, Value(""))
    return value if cities else Substr(value, 1, 2)


def by_city(filters: DashboardFilters) -> bool:
    """Whether the table lists the cities of one province (a drill-down) or the provinces."""
    return filters.region is not None and is_province(filters.region.code)


def pending_by_region(filters: DashboardFilters, *, now: datetime.datetime) -> dict[str, int]:
    """Unanswered feedback cases still within their deadline, per row of the table (a few
    days' worth, live, through the partial index of unanswered cases): one query."""
    return dict(
        Feedback.objects.filter(filters.feedback_q(), reply_due_at__gt=now,
                                first_replied_at__isnull=True)
        .annotate(key=area_key("region", cities=by_city(filters))).order_by()
        .values_list("key").annotate(n=Count("pk"))
    )


def region_table(filters: DashboardFilters, *, now: datetime.datetime, split: dict, stats,
                 pending: dict[str, int], sort: str = "") -> RegionTable:
    """The table for the filtered period and scope. The feedback sums come from the
    dashboard's `stats` (grouped by the table's rows already) and `pending` from
    `pending_by_region`: four more queries."""
    cities = by_city(filters)
    table: dict[str, RegionRow] = {}

    def row(key: str) -> RegionRow:
        return table.setdefault(key, RegionRow(code=key))

    for key, sums in stats.by_area(SCORE_SUMS).items():
        row(key).sums.update(sums)
    for key, sums in stats.by_area(CASE_SUMS, counted=None).items():
        row(key).sums.update(sums)
    _signups_fill_overdue(filters, now=now, split=split, row=row, table=table, cities=cities,
                          pending=pending)
    _name(table, cities=cities)
    sort = sort if sort in SORTS else SORTS[0]
    rows = sorted(table.values(), key=lambda r: (getattr(r, sort) is None,
                                                 -(getattr(r, sort) or 0), r.code))
    return RegionTable(level="city" if cities else "province", rows=rows, sort=sort)


def _signups_fill_overdue(filters, *, now, split, row, table, cities: bool,
                          pending: dict[str, int]) -> None:
    signup_split = split[rollups.SIGNUPS.subject]
    for source in (
        SignupDayStats.objects.filter(filters.signup_rollup_q(), signup_split.rollup)
        .annotate(key=area_key("region", cities=cities)).order_by().values("key")
        .annotate(n=Sum("total")),
        Signup.objects.filter(filters.signup_q(), signup_split.rows)
        .annotate(key=area_key("session__region", cities=cities)).order_by().values("key")
        .annotate(n=Count("pk")),
    ):
        for values in source:
            row(values["key"]).signups += values["n"] or 0

    for values in (Session.objects.filter(filters.session_q())
                   .annotate(key=area_key("region", cities=cities)).order_by().values("key")
                   .annotate(capacity=Sum("capacity"), taken=Sum("places_taken"))):
        target = row(values["key"])
        target.capacity, target.taken = values["capacity"] or 0, values["taken"] or 0

    # Overdue feedback as the headline counts it: unanswered cases (the rollups) less those
    # still within their deadline (a few days' worth, live, through the partial index).
    overdue = defaultdict(int, {key: r.sums["unanswered"] for key, r in table.items()})
    for key, n in pending.items():
        overdue[key] -= n
    for values in (ReceptionCase.objects.filter(filters.reception_q(),
                                                overdue_q(ReceptionCase, now))
                   .annotate(key=area_key("signup__session__region", cities=cities))
                   .order_by().values("key").annotate(n=Count("pk"))):
        overdue[values["key"]] += values["n"]
    for key, n in overdue.items():
        row(key).overdue = n


def open_escalations(filters: DashboardFilters, *, now) -> list[tuple[str, int]]:
    """Unanswered cases by the rung they reached, feedback and GM reception together (two
    queries): (label, count) from the city rung up. A rung is reached only past the due time,
    so these are overdue cases (the partial index of unanswered cases finds them)."""
    counts = defaultdict(int)
    for queryset in (
        # The partial index of escalated unanswered feedback keeps this small.
        Feedback.objects.filter(filters.feedback_q(), first_replied_at__isnull=True),
        ReceptionCase.objects.filter(filters.reception_q(), overdue_q(ReceptionCase, now)),
    ):
        for level, n in (queryset.exclude(escalation=Escalation.NONE).order_by()
                         .values_list("escalation").annotate(n=Count("pk"))):
            counts[level] += n
    return [(Escalation(level).label, counts[level])
            for level in (Escalation.CITY, Escalation.PROVINCE, Escalation.NATIONAL)]


def _name(table: dict[str, RegionRow], *, cities: bool) -> None:
    """Names in the page's language (one query); "" is the national team's own rows."""
    codes = {key if cities else f"{key}0000" for key in table if key}
    names = {region.code: str(region) for region in Region.objects.filter(code__in=codes)}
    for key, target in table.items():
        target.code = key if cities or not key else f"{key}0000"
        target.name = names.get(target.code, "")

