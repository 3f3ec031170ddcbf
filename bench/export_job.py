"""Background CSV job benchmark: the time `export_job_run` takes for the feedback report on
PostgreSQL, through COPY (progress written by a second connection) and through the Python
rows, and whether both files are byte-identical.

    /work/venv/bin/python bench/export_job.py [--rows 100000] [--repeat 3]
        [--database-url postgres://postgres@127.0.0.1:5432/export_bench]

Uses its own database like bench/export_memory.py (created if missing, topped up with the
same rows: half with a name and phone number), a staff user with the export permission and
without `view_personal_data` (masked, as an analyst gets it), production settings. Each run
is a fresh job row, run in this process as the worker would run it; the files go to a
temporary MEDIA_ROOT and are deleted afterwards. Prints a Markdown table (median times).
"""

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.export_memory import DEFAULT_URL, _env, _setup, ensure_database, top_up


def run_job(user, mode: str) -> tuple[float, str, int, int]:
    """(seconds, sha256 of the file, rows done, size) of one job in `mode` (copy|python)."""
    from feedback.models import ExportJob
    from feedback.reporting import export_jobs

    applies = export_jobs._copy_applies
    if mode == "python":
        export_jobs._copy_applies = lambda exporter: False
    try:
        job = ExportJob.objects.create(user=user, export="feedback", format="csv",
                                       language="zh-hans", unmasked=False)
        started = time.perf_counter()
        export_jobs.export_job_run(job_id=job.pk)
        took = time.perf_counter() - started
    finally:
        export_jobs._copy_applies = applies
    job.refresh_from_db()
    assert job.status == "done", job.status
    path = Path(job.file.path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    size = path.stat().st_size
    path.unlink()
    job.delete()
    return took, digest, job.rows_done, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    ensure_database(args.database_url)
    os.environ.update(_env(args.database_url))
    media = tempfile.TemporaryDirectory(prefix="export-job-bench-")
    os.environ["DJANGO_MEDIA_ROOT"] = media.name
    _setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.core.management import call_command

    from feedback.models import Feedback

    call_command("migrate", verbosity=0)
    have = Feedback.objects.count()
    if have < args.rows:
        print(f"<!-- inserted {args.rows - have} rows in {top_up(args.rows):.1f} s -->")
    user, _ = get_user_model().objects.get_or_create(username="bench-analyst",
                                                     defaults={"is_staff": True})
    user.user_permissions.add(Permission.objects.get(
        content_type__app_label="feedback", codename="export_reports"))
    user = get_user_model().objects.get(pk=user.pk)

    results = {}
    with media:
        for mode in ("copy", "python"):
            runs = [run_job(user, mode) for _ in range(args.repeat)]
            assert len({digest for _t, digest, _r, _s in runs}) == 1, f"{mode}: files differ"
            results[mode] = runs
    identical = results["copy"][0][1] == results["python"][0][1]
    print(f"# background CSV job ({Feedback.objects.count()} feedback rows, "
          f"{args.database_url.split('@')[-1]})")
    print("| path | rows | time s (median) | runs | file MB |")
    print("|---|---:|---:|---|---:|")
    for mode, runs in results.items():
        times = [took for took, *_rest in runs]
        print(f"| {mode} | {runs[0][2]:,} | {statistics.median(times):.2f} | "
              f"{', '.join(f'{t:.2f}' for t in times)} | {runs[0][3] / 1e6:.1f} |")
    print(f"byte-identical: {identical}")


if __name__ == "__main__":
    main()
