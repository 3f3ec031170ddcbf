"""Dashboard on a large database: milliseconds per view, per query, and the query plans.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_big \\
        .venv/bin/python bench/dashboard.py [--repeat 5] [--explain]

Fill the database first with bench/generate.py (1,000,000 feedback rows). The script first
migrates, then builds the feedback and signup rollups of every past day from scratch
(`feedback.reporting.rollups.rollup_days`, as `manage.py rollup_feedback --rebuild` does)
and reports
how long that took, then how long rebuilding one feedback day made stale takes. Then each
filter set is computed `--repeat` times with the same selectors the staff page uses
(`feedback.reporting.selectors.dashboard`, every query evaluated); the median is reported, with the
slowest queries of the last run. `--explain` prints EXPLAIN ANALYZE of those queries. A last
row times the whole campaign with one past day stale (read from the feedback rows).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaigns.models import Activity, Region, Signup, Theme  # noqa: E402
from campaigns.regions import Scope  # noqa: E402
from feedback.models import Feedback, FeedbackDayStats, RollupDay, SignupDayStats  # noqa: E402
from feedback.reporting.filters import DashboardFilters  # noqa: E402
from feedback.reporting.rollups import (  # noqa: E402
    FEEDBACK,
    ROLLUPS,
    all_days,
    rollup_days,
    rows_changed,
)
from feedback.reporting.selectors import dashboard  # noqa: E402


def filter_sets() -> list[tuple[str, DashboardFilters]]:
    today = timezone.localdate()
    busiest = Activity.objects.filter(feedback__isnull=False).order_by("id").first()
    return [
        ("everything", DashboardFilters()),
        ("last 30 days", DashboardFilters(date_from=today - datetime.timedelta(days=30))),
        ("one theme", DashboardFilters(theme=Theme.objects.order_by("order").first())),
        ("one activity", DashboardFilters(activity=busiest)),
        ("open days in 北京", DashboardFilters(kind=Activity.Kind.OPEN_DAY,
                                             region=Region.objects.get(pk="110100"))),
        ("Guangdong's cities", DashboardFilters(region=Region.objects.get(pk="440000"))),
        ("as Guangdong's team", DashboardFilters(scope=Scope(level="province",
                                                             codes=("440000",)))),
        ("as Wuhan's branch", DashboardFilters(scope=Scope(level="city", codes=("420100",)))),
    ]


def evaluate(filters: DashboardFilters) -> None:
    """Build the dashboard and touch every list, as the template does."""
    board = dashboard(filters, now=timezone.now())
    for value in vars(board).values():
        if isinstance(value, list | tuple):
            list(value)


def build() -> datetime.date:
    """Build every past day from scratch, then time the rebuild of one stale feedback day."""
    for rollup in ROLLUPS:
        result = rollup_days(rollup, days=all_days(rollup))
        print(
            f"full build, {rollup.subject}: {result.days} days, {result.rows:,} rollup rows, "
            f"{result.seconds:.1f} s ({result.fresh} fresh, {result.stale} stale)"
        )
    print(
        f"rollup tables: {FeedbackDayStats.objects.count():,} feedback rows "
        f"(from {Feedback.objects.count():,}), {SignupDayStats.objects.count():,} signup rows "
        f"(from {Signup.objects.count():,})"
    )
    days = all_days(FEEDBACK)
    stale_day = days[len(days) // 2]
    with transaction.atomic():
        rows_changed(FEEDBACK.subject, [stale_day])
    result = rollup_days(FEEDBACK, days=[stale_day])
    print(
        f"rebuild of one stale feedback day ({stale_day}): {result.rows:,} rollup rows, "
        f"{result.seconds * 1000:.0f} ms; fresh afterwards: "
        f"{RollupDay.objects.get(subject=FEEDBACK.subject, day=stale_day).fresh}\n"
    )
    return stale_day


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rows = Feedback.objects.count()
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}, "
        f"{rows:,} feedback rows\n"
    )
    stale_day = build()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print("| filters | median ms | min ms | queries | slowest query ms |")
    print("|---|---:|---:|---:|---:|")
    slow = []
    sets = filter_sets()
    sets.append(("everything, one past day stale", DashboardFilters()))
    for label, filters in sets:
        if label.startswith("everything, one"):
            with transaction.atomic():
                rows_changed(FEEDBACK.subject, [stale_day])
        evaluate(filters)  # warm the caches, as a running site has them
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                evaluate(filters)
                times.append((time.perf_counter() - start) * 1000)
        worst = max(queries.captured_queries, key=lambda q: float(q["time"]))
        slow.append((label, worst["sql"]))
        print(
            f"| {label} | {statistics.median(times):.0f} | {min(times):.0f} | "
            f"{len(queries)} | {float(worst['time']) * 1000:.0f} |"
        )
    if args.explain and connection.vendor == "postgresql":
        for label, sql in slow:
            print(f"\n-- slowest query, {label}:\n{sql[:300]}…")
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql)
                print("\n".join(row[0] for row in cursor.fetchall()))
    print("\nReproduce: DATABASE_URL=… python bench/dashboard.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
