"""Export memory benchmark: peak RSS and time of the feedback report export, CSV and XLSX,
for growing numbers of rows. The claim under test: memory stays flat as rows grow.

    /work/venv/bin/python bench/export_memory.py [--sizes 1000,100000,1000000]
        [--database-url postgres://postgres@127.0.0.1:5432/export_bench] [--formats csv,xlsx]

Uses its own database (created if missing; never the development or test database), tops the
feedback table up to each size with bulk inserts (batches of 5,000), then runs each export in
a fresh subprocess and reports that process's peak resident set size and wall time.

Peak RSS is read from `VmHWM` in /proc/self/status, which belongs to the process's own
address space and starts afresh at exec. `resource.getrusage(RUSAGE_SELF).ru_maxrss` is
printed too, but on Linux it is kept across fork+exec, so a child inherits its parent's peak
(here: the parent that inserted the rows) and it cannot show a child smaller than that. A
subprocess that only starts Django and reads one row gives the floor. The exports are the real ones
(`feedback.reporting.exporters.FeedbackExporter`,
masked, with the summary sheet and chart for XLSX),
writing CSV to /dev/null and XLSX to a temporary file. Half the rows carry a name and phone
number, so masking runs as well.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/export_bench"
BATCH = 5000


def _env(url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",  # no query log kept in memory
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="localhost",
        PYTHONPATH=str(ROOT),
    )
    return env


def _setup():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- Child: run one export and report ------------------------------------------------------


def child(fmt: str) -> None:
    import resource
    import tempfile

    _setup()
    from feedback.models import Feedback
    from feedback.reporting.exporters import FeedbackExporter

    started = time.perf_counter()
    if fmt == "floor":
        Feedback.objects.first()
        rows = 0
        size = 0
    else:
        exporter = FeedbackExporter(user=None)
        if fmt == "csv":
            size = rows = 0
            with open(os.devnull, "wb") as out:
                for chunk in exporter.csv_chunks():
                    size += len(chunk)
                    rows += chunk.count(b"\n")
            rows -= 1  # header
        else:
            with tempfile.TemporaryFile() as out:
                exporter.write_xlsx(out)
                size = out.tell()
            rows = Feedback.objects.count()
    elapsed = time.perf_counter() - started
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"rows": rows, "seconds": elapsed, "peak_mb": vm_hwm_kb() / 1024,
                      "ru_maxrss_mb": maxrss_kb / 1024, "bytes": size}))


def vm_hwm_kb() -> int:
    """Peak resident set size of this process's address space (Linux), in kilobytes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


# --- Parent: prepare the data and measure ---------------------------------------------------


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    base, name = url.rsplit("/", 1)
    exists = subprocess.run(
        ["psql", f"{base}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", f"{base}/postgres", "-c", f'CREATE DATABASE "{name}"'],
                       check=True, capture_output=True)


def top_up(target: int) -> float:
    """Insert feedback rows until there are `target`; returns the seconds it took."""
    import datetime
    import random

    from django.utils import timezone

    from campaigns.models import Activity, Campaign, Theme
    from feedback.models import Feedback

    campaign, _ = Campaign.objects.get_or_create(
        title="优质服务体验季 (bench)",
        defaults={"slogan": "心级服务，优+体验", "intro": "bench",
                  "starts_on": datetime.date(2026, 10, 16),
                  "ends_on": datetime.date(2026, 12, 31)},
    )
    themes = [
        Theme.objects.get_or_create(campaign=campaign, slug=slug, defaults={"name": name})[0]
        for slug, name in (("network", "优+网络"), ("product", "优+产品"), ("service", "优+服务"))
    ]
    activity, _ = Activity.objects.get_or_create(
        slug="bench-5g-brain",
        defaults={"campaign": campaign, "kind": "open_day", "title": "探秘5G网络大脑",
                  "summary": "bench", "description": "bench", "is_published": True},
    )
    have = Feedback.objects.count()
    started = time.perf_counter()
    rng = random.Random(have)
    base = timezone.now() - datetime.timedelta(days=60)
    comment = (
        "网络总体稳定，地下车库信号较弱，希望尽快优化。营业厅排队时间有点长，建议增加自助终端。"
    )
    batch = []
    for i in range(have, target):
        created = base + datetime.timedelta(seconds=i * 5)
        personal = i % 2 == 0
        complaint = i % 7 == 0
        batch.append(
            Feedback(
                reference=f"B{i:09d}",
                # The one-rating-per-phone rule applies to activity feedback: rows with a
                # phone number are general feedback here.
                activity=None if personal else activity,
                theme=themes[i % 3],
                kind="complaint" if complaint else "suggestion",
                overall_score=rng.randint(1, 10),
                recommend_score=rng.randint(0, 10),
                score_network=rng.randint(1, 10),
                score_attitude=rng.choice([None, rng.randint(1, 10)]),
                comment=comment,
                public_comment=comment,
                wants_reply=personal,
                name="王小明" if personal else "",
                phone=f"138{i % 100_000_000:08d}" if personal else "",
                consent_at=created if personal else None,
                privacy_version="2026-10" if personal else "",
                state="published",
                created_at=created,
                reply_due_at=created + datetime.timedelta(hours=48) if complaint else None,
                first_replied_at=created + datetime.timedelta(hours=rng.randint(1, 72))
                if complaint and i % 3 else None,
            )
        )
        if len(batch) == BATCH:
            Feedback.objects.bulk_create(batch)
            batch = []
    if batch:
        Feedback.objects.bulk_create(batch)
    return time.perf_counter() - started


def measure(url: str, fmt: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", fmt],
        env=_env(url), cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return

    url = args.database_url
    ensure_database(url)
    os.environ.update(_env(url))
    _setup()
    from django.core.management import call_command

    from feedback.models import Feedback

    call_command("migrate", verbosity=0)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if Feedback.objects.count() > sizes[0]:
        from django.db import connection

        with connection.cursor() as cursor:  # not .delete(): that loads every row first
            cursor.execute("DELETE FROM feedback_feedback WHERE reference LIKE 'B%%'")
    floor = measure(url, "floor")
    print(f"# export memory benchmark ({url.split('@')[-1]})")
    print(f"floor (Django started, one query): peak RSS {floor['peak_mb']:.1f} MB")
    print("| rows | format | time s | peak RSS MB | above floor MB | file MB |")
    print("|---:|---|---:|---:|---:|---:|")
    for size in sizes:
        took = top_up(size)
        print(f"<!-- inserted up to {size} rows in {took:.1f} s -->", flush=True)
        for fmt in args.formats.split(","):
            result = measure(url, fmt)
            assert result["rows"] == size, result
            print(
                f"| {size:,} | {fmt} | {result['seconds']:.1f} | {result['peak_mb']:.1f} | "
                f"{result['peak_mb'] - floor['peak_mb']:.1f} | {result['bytes'] / 2**20:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
