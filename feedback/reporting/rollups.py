"""Per-day rollups of feedback and signups for the staff dashboard: freshness, the builder,
exact averages.

The dashboard's headline figures are sums over every row of the period. On a million
feedback rows that is a second per view, so `FeedbackDayStats` keeps, per local day
(Asia/Shanghai), activity, theme and moderation outcome (counted / rejected), the counts and
score sums the dashboard needs, and `SignupDayStats` the signups per day, activity and region
(of their session) by status; both carry the region code, so regions compare from them.
The rules that keep the figures exact:

- A day's rollup is used only if the day is before today and *fresh*
  (`RollupDay.built_version == version`). Everything else (today, days never built, days
  changed since their build) is read from the rows themselves, in the same queries
  (`feedback.reporting.selectors.feedback_stats` / `signup_stats`).
- Posts never write a rollup row (that row would serialise concurrent posts). Any insert,
  update or delete of a feedback or signup created on a *past* day bumps that day's `version`
  in the same transaction (model signals below, so moderation, replies, closing, signup
  status changes, admin edits and personal-data erasure all count); so does moving a session
  to another activity or region, for the days of its signups. Nothing in the code
  changes these rows with `QuerySet.update()` or bulk writes; a script that does must call
  `rows_changed()` itself.
- The builder (`rollup_days`: cron `manage.py rollup_feedback`, and the task
  `build_dashboard_rollups` below, that the dashboard queues when it meets stale past
  days) reads a day's version *before* its rows, writes the day's rollup and then sets
  `built_version` with `UPDATE … WHERE version = <read version>`: a change that commits in
  between leaves the day stale (read raw) instead of wrongly fresh. One transaction per day.
- Only days that ended at least `SETTLE` ago are built, so a transaction that began before
  midnight (and so did not bump "today") has long committed when its day is first built.
"""

import datetime
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, F, Min, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django_tasks import task

from campaigns.models import Session, Signup
from config.tasks import enqueue_on_commit
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
from feedback.scoring import DETRACTORS, PASSIVES, PROMOTERS, counted_expression

from .days import as_local_date, day_start, local_day, local_zone, today

# A day is built once it ended at least this long ago (see the module docstring).
SETTLE = datetime.timedelta(hours=1)
# The dashboard queues at most one build per this many seconds (per cache).
SCHEDULE_INTERVAL = 60
_SCHEDULE_KEY = "dashboard-rollups-scheduled"
_DAY = datetime.timedelta(days=1)

# Counted in scores or not (rejected: spam, abuse): the rule of feedback.scoring.
COUNTED = counted_expression()


def settled_before(now: datetime.datetime) -> datetime.date:
    """Days strictly before this one may be built."""
    return local_day(now - SETTLE)


# --- What a rollup row holds, computed from the rows ---------------------------------------


class _AsReturned:
    """Counts and sums of integer columns arrive from the database as Python ints already;
    Django's converter would call int() on each value again (16,000 values, a tenth of the
    dashboard's time at 1,000,000 rows)."""

    @property
    def convert_value(self):
        return self._convert_value_noop


class IntCount(_AsReturned, Count):
    pass


class IntSum(_AsReturned, Sum):
    pass



def feedback_aggregates() -> dict:
    """For each name in FEEDBACK_ROLLUP_FIELDS, its aggregate over feedback rows."""
    case = Q(reply_due_at__isnull=False)
    aggregates = {
        "rows": IntCount("pk"),
        "complaints": IntCount("pk", filter=Q(kind=Feedback.Kind.COMPLAINT)),
        "overall_sum": IntSum("overall_score"),
        **{
            f"overall_{score}": IntCount("pk", filter=Q(overall_score=score))
            for score in OVERALL_SCORES
        },
        "promoters": IntCount("pk", filter=PROMOTERS),
        "passives": IntCount("pk", filter=PASSIVES),
        "detractors": IntCount("pk", filter=DETRACTORS),
        # The 48-hour clock: cases opened, first answered within / after the deadline, not
        # answered yet (overdue or not is a matter of the clock: the dashboard's query).
        "cases": IntCount("pk", filter=case),
        "on_time": IntCount("pk", filter=case & Q(first_replied_at__lte=F("reply_due_at"))),
        "late": IntCount("pk", filter=case & Q(first_replied_at__gt=F("reply_due_at"))),
        "unanswered": IntCount("pk", filter=case & Q(first_replied_at__isnull=True)),
    }
    for name, _label in DIMENSIONS:
        aggregates[f"{name}_sum"] = IntSum(name)  # NULL ("未体验") is left out, as by Avg
        aggregates[f"{name}_count"] = IntCount(name)
    return aggregates


def signup_aggregates() -> dict:
    """For each name in SIGNUP_ROLLUP_FIELDS, its aggregate over signup rows."""
    status = Signup.Status
    return {
        "total": IntCount("pk"),
        "confirmed": IntCount("pk", filter=Q(status=status.CONFIRMED)),
        "waitlisted": IntCount("pk", filter=Q(status=status.WAITLISTED)),
        "cancelled": IntCount("pk", filter=Q(status=status.CANCELLED)),
        "attended": IntCount("pk", filter=Q(status=status.ATTENDED)),
        "no_show": IntCount("pk", filter=Q(status=status.NO_SHOW)),
    }


def sums(fields: Iterable[str]) -> dict:
    """Each rollup column summed over rollup rows."""
    return {name: IntSum(name) for name in fields}


@dataclass(frozen=True)
class Rollup:
    """What is rolled up: the rows, the rollup model, its key and its columns."""

    subject: str
    source: type[models.Model]
    stats: type[models.Model]
    keys: dict[str, str]  # rollup field → source expression name
    fields: tuple[str, ...]
    aggregates: Callable[[], dict]
    annotations: Callable[[], dict]

    def rows(self) -> models.QuerySet:
        return self.source.objects.annotate(**self.annotations())


FEEDBACK = Rollup(
    subject=RollupDay.Subject.FEEDBACK,
    source=Feedback,
    stats=FeedbackDayStats,
    keys={"activity_id": "activity", "theme_id": "theme", "counted": "counted",
          "region": "region_code"},
    fields=FEEDBACK_ROLLUP_FIELDS,
    aggregates=feedback_aggregates,
    annotations=lambda: {"counted": COUNTED, "region_code": Coalesce("region", Value(""))},
)
SIGNUPS = Rollup(
    subject=RollupDay.Subject.SIGNUPS,
    source=Signup,
    stats=SignupDayStats,
    keys={"activity_id": "session__activity", "region": "region_code"},
    fields=SIGNUP_ROLLUP_FIELDS,
    aggregates=signup_aggregates,
    annotations=lambda: {"region_code": Coalesce("session__region", Value(""))},
)
ROLLUPS = (FEEDBACK, SIGNUPS)


def exact_average(total: int, count: int) -> float | None:
    """`total / count` exactly as the database's AVG() over integers returns it.

    SQLite (and Python) divide in binary floating point. PostgreSQL's avg(smallint) is
    numeric sum ÷ numeric count, rounded (half away from zero) to the scale that
    `select_div_scale` picks (at least 16 significant digits), which Django then turns into a
    float: two ways that can differ in the last bit. Reproducing PostgreSQL's rule keeps the
    rollup figures identical to the raw aggregates, not just close.
    """
    if not count:
        return None
    if connection.vendor != "postgresql":
        return total / count
    return float(_pg_numeric_div(total, count))


def _base10000(value: int) -> tuple[int, int]:
    """(weight, first digit) of a non-negative integer in PostgreSQL's base-10000 numeric."""
    if value == 0:
        return 0, 0
    weight = (len(str(value)) - 1) // 4
    return weight, value // 10000**weight


def _pg_numeric_div(dividend: int, divisor: int) -> Decimal:
    weight1, first1 = _base10000(dividend)
    weight2, first2 = _base10000(divisor)
    qweight = weight1 - weight2 - (1 if first1 <= first2 else 0)
    scale = min(max(16 - qweight * 4, 0), 1000)  # NUMERIC_MIN_SIG_DIGITS, DEC_DIGITS
    quotient, remainder = divmod(dividend * 10**scale, divisor)
    if 2 * remainder >= divisor:
        quotient += 1
    return Decimal(quotient).scaleb(-scale)


# --- Freshness: every change to a past day's rows makes that day stale ---------------------


def rows_changed(subject: str, days: Iterable[datetime.date]) -> None:
    """Bump the version of each past day, in the caller's transaction."""
    local_today = today()
    for day in sorted({day for day in days if day < local_today}):
        changed = RollupDay.objects.filter(subject=subject, day=day)
        if changed.update(version=F("version") + 1):
            continue
        try:
            with transaction.atomic():
                RollupDay.objects.create(subject=subject, day=day, version=1)
        except IntegrityError:  # created meanwhile by the builder or another change
            changed.update(version=F("version") + 1)


def _remember_old_day(sender, instance, update_fields=None, **kwargs):
    # Only a save that may change created_at (a full save, as the admin's) reads the old one.
    instance._rollup_old_day = None
    if instance.pk is None or (update_fields is not None and "created_at" not in update_fields):
        return
    old = sender.objects.filter(pk=instance.pk).values_list("created_at", flat=True).first()
    if old is not None:
        instance._rollup_old_day = local_day(old)


def _subject(sender) -> str:
    return FEEDBACK.subject if sender is Feedback else SIGNUPS.subject


def _saved(sender, instance, **kwargs):
    days = {local_day(instance.created_at)}
    if getattr(instance, "_rollup_old_day", None):
        days.add(instance._rollup_old_day)
    rows_changed(_subject(sender), days)


def _deleted(sender, instance, **kwargs):
    rows_changed(_subject(sender), {local_day(instance.created_at)})


def _remember_old_place(sender, instance, update_fields=None, **kwargs):
    instance._rollup_old_place = None
    if instance.pk is None or (
        update_fields is not None and not {"activity", "region"} & set(update_fields)
    ):
        return
    instance._rollup_old_place = (
        Session.objects.filter(pk=instance.pk).values_list("activity_id", "region_id").first()
    )


def _session_saved(sender, instance, created=False, **kwargs):
    old = getattr(instance, "_rollup_old_place", None)
    if created or old is None or old == (instance.activity_id, instance.region_id):
        return
    # Signup rollups are kept per activity and region: every day with signups here is stale.
    days = (
        Signup.objects.filter(session=instance)
        .annotate(day=TruncDate("created_at", tzinfo=local_zone()))
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )
    rows_changed(SIGNUPS.subject, [as_local_date(day) for day in days])


def connect_rollup_signals() -> None:
    for rollup in ROLLUPS:
        model, uid = rollup.source, f"rollup-{rollup.subject}"
        pre_save.connect(_remember_old_day, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")
    pre_save.connect(_remember_old_place, sender=Session, dispatch_uid="rollup-session-pre")
    post_save.connect(_session_saved, sender=Session, dispatch_uid="rollup-session-save")


# --- The builder ------------------------------------------------------------------------


@dataclass
class RollupResult:
    days: int = 0  # days looked at (per subject)
    fresh: int = 0  # built and marked fresh
    stale: int = 0  # built, but changed meanwhile: left stale, built again next time
    rows: int = 0  # rollup rows written
    seconds: float = 0.0

    def add(self, other: "RollupResult") -> None:
        for name in ("days", "fresh", "stale", "rows", "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _first_day(rollup: Rollup, end: datetime.date) -> datetime.date:
    first = rollup.source.objects.aggregate(first=Min("created_at"))["first"]
    return min(local_day(first), end) if first else end


def pending_days(rollup: Rollup, *, now: datetime.datetime | None = None) -> list[datetime.date]:
    """Settled days that are stale or were never built, from the first row's day."""
    end = settled_before(now or timezone.now())
    fresh = {
        day: built == version
        for day, version, built in RollupDay.objects.filter(
            subject=rollup.subject, day__lt=end
        ).values_list("day", "version", "built_version")
    }
    day, days = min(_first_day(rollup, end), *fresh, end), []
    while day < end:
        if not fresh.get(day, False):
            days.append(day)
        day += _DAY
    return days


def all_days(rollup: Rollup, *, now: datetime.datetime | None = None) -> list[datetime.date]:
    """Every settled day from the first row's day (a full rebuild)."""
    end = settled_before(now or timezone.now())
    day, days = _first_day(rollup, end), []
    while day < end:
        days.append(day)
        day += _DAY
    return days


def _runs(days: Iterable[datetime.date], *, longest: int) -> list[list[datetime.date]]:
    """Consecutive days in runs of at most `longest` days."""
    runs: list[list[datetime.date]] = []
    for day in sorted(set(days)):
        if runs and day - runs[-1][-1] == _DAY and len(runs[-1]) < longest:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def day_rows(rollup: Rollup, first: datetime.date, last: datetime.date) -> list[dict]:
    """Rollup rows of the days first…last (local), computed from the rows themselves."""
    return list(
        rollup.rows()
        .filter(created_at__gte=day_start(first), created_at__lt=day_start(last + _DAY))
        .annotate(day=TruncDate("created_at", tzinfo=local_zone()))
        .order_by()
        .values("day", *rollup.keys.values())
        .annotate(**rollup.aggregates())
    )


def rollup_days(
    rollup: Rollup,
    *,
    days: Iterable[datetime.date] | None = None,
    now: datetime.datetime | None = None,
    run_days: int = 7,
) -> RollupResult:
    """Build the rollups of `days` (default: `pending_days()`); days not yet settled are
    skipped. Reads `run_days` consecutive days per query, writes one transaction per day."""
    started = time.perf_counter()
    now = now or timezone.now()
    end = settled_before(now)
    days = pending_days(rollup, now=now) if days is None else [d for d in days if d < end]
    result = RollupResult(days=len(set(days)))
    for run in _runs(days, longest=run_days):
        RollupDay.objects.bulk_create(
            [RollupDay(subject=rollup.subject, day=day) for day in run], ignore_conflicts=True
        )
        # The versions first, the rows after: a change committed after this read bumps the
        # version, so the conditional UPDATE in _write_day cannot mark the day fresh.
        versions = dict(
            RollupDay.objects.filter(subject=rollup.subject, day__in=run).values_list(
                "day", "version"
            )
        )
        by_day: dict[datetime.date, list[dict]] = {day: [] for day in run}
        for row in day_rows(rollup, run[0], run[-1]):
            by_day[as_local_date(row.pop("day"))].append(row)
        for day in run:
            fresh = _write_day(rollup, day, by_day[day], version=versions[day], now=now)
            result.rows += len(by_day[day])
            result.fresh += fresh
            result.stale += not fresh
    result.seconds = time.perf_counter() - started
    return result


def rollup_all(*, now: datetime.datetime | None = None, rebuild: bool = False) -> RollupResult:
    """Build every pending day (or, with `rebuild`, every settled day) of every rollup."""
    total = RollupResult()
    for rollup in ROLLUPS:
        days = all_days(rollup, now=now) if rebuild else None
        total.add(rollup_days(rollup, days=days, now=now))
    return total


@transaction.atomic
def _write_day(rollup: Rollup, day, rows: list[dict], *, version: int, now) -> bool:
    rollup.stats.objects.filter(day=day).delete()
    rollup.stats.objects.bulk_create(
        [
            rollup.stats(
                day=day,
                **{field: row[source] for field, source in rollup.keys.items()},
                **{name: row[name] or 0 for name in rollup.fields},
            )
            for row in rows
        ]
    )
    marked = RollupDay.objects.filter(subject=rollup.subject, day=day, version=version).update(
        built_version=version, built_at=now
    )
    return bool(marked)


# --- Queuing a build from the dashboard ---------------------------------------------------


@task()
def build_dashboard_rollups() -> int:
    """Build the rollups of every stale or new past day; returns the number of days marked
    fresh. Not retried: the next view that meets a stale day queues it again, and cron runs
    `manage.py rollup_feedback` anyway."""
    return rollup_all().fresh


def schedule_build() -> bool:
    """Queue `build_dashboard_rollups` after commit, at most once per SCHEDULE_INTERVAL."""
    if not cache.add(_SCHEDULE_KEY, 1, timeout=SCHEDULE_INTERVAL):
        return False
    enqueue_on_commit(build_dashboard_rollups)
    return True
