"""Dashboard on a large database: milliseconds per view, per query, and the query plans.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_big \\
        .venv/bin/python bench/dashboard.py [--repeat 5] [--explain]

Fill the database first with bench/generate.py (1,000,000 feedback rows). Each filter set is
computed `--repeat` times with the same selectors the staff page uses
(`feedback.dashboard.dashboard`, every query evaluated); the median is reported, with the
slowest queries of the last run. `--explain` prints EXPLAIN ANALYZE of those queries.
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

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaigns.models import Activity, Theme  # noqa: E402
from feedback.dashboard import DashboardFilters, dashboard  # noqa: E402
from feedback.models import Feedback  # noqa: E402


def filter_sets() -> list[tuple[str, DashboardFilters]]:
    today = timezone.localdate()
    busiest = Activity.objects.filter(feedback__isnull=False).order_by("id").first()
    return [
        ("everything", DashboardFilters()),
        ("last 30 days", DashboardFilters(date_from=today - datetime.timedelta(days=30))),
        ("one theme", DashboardFilters(theme=Theme.objects.order_by("order").first())),
        ("one activity", DashboardFilters(activity=busiest)),
        ("open days in 北京", DashboardFilters(kind=Activity.Kind.OPEN_DAY, city="北京")),
    ]


def evaluate(filters: DashboardFilters) -> None:
    """Build the dashboard and touch every list, as the template does."""
    board = dashboard(filters, now=timezone.now())
    for value in vars(board).values():
        if isinstance(value, list | tuple):
            list(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    rows = Feedback.objects.count()
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}, "
        f"{rows:,} feedback rows\n"
    )
    print("| filters | median ms | min ms | queries | slowest query ms |")
    print("|---|---:|---:|---:|---:|")
    slow = []
    for label, filters in filter_sets():
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
