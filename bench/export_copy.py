"""Feedback CSV through COPY vs a raw COPY of the table vs the Python path, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_big \\
        /work/venv/bin/python bench/export_copy.py [--repeat 3] [--verify]

Read-only: it never writes to the database (no audit entry, no migration), so it can run on
`bench_big` (1,000,000 feedback rows made by bench/generate.py). Each measurement runs in a
fresh subprocess that reports its wall time and its own peak RSS (`VmHWM`, as in
bench/export_memory.py):

- raw: `COPY feedback_feedback TO STDOUT (FORMAT csv)` read through Django's connection
  (psycopg 3), every block counted and dropped: the database's own speed, the floor;
- copy: the real feedback report (`FeedbackExporter`, masked, as an analyst gets it) on its
  COPY path: `COPY (SELECT … masking, labels, local times …) TO STDOUT`, CRLF row ends, BOM
  and translated header;
- python: the same report through the Python rows and `csv.writer` (the reference);
- floor: Django started, one query.

`--verify` also hashes the output of both report paths (in separate runs, so the timings are
not affected) and checks they are byte-identical.
"""

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.export_memory import _env, _setup, vm_hwm_kb  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_big"


def child(mode: str, verify: bool) -> None:
    _setup()
    from django.db import connection
    from django.utils import translation

    from feedback.reporting.exporters import FeedbackExporter

    digest = hashlib.sha256()
    size = rows = 0
    started = time.perf_counter()
    if mode == "floor":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    elif mode == "raw":
        with connection.cursor() as cursor, cursor.cursor.copy(
            "COPY feedback_feedback TO STDOUT (FORMAT csv)"
        ) as copy:
            for block in copy:
                size += len(block)
                rows += 1
    else:
        with translation.override("zh-hans"):
            exporter = FeedbackExporter(user=None, copy=mode == "copy")
            assert exporter.uses_copy() is (mode == "copy")
            for chunk in exporter.csv_chunks():
                size += len(chunk)
                rows += chunk.count(b"\r\n")  # rows (a CRLF inside a field would count too)
                if verify:
                    digest.update(chunk)
        rows -= 1  # header
    elapsed = time.perf_counter() - started
    print(json.dumps({"mode": mode, "seconds": elapsed, "rows": rows, "bytes": size,
                      "peak_mb": vm_hwm_kb() / 1024, "sha256": digest.hexdigest()}))


def measure(url: str, mode: str, verify: bool = False) -> dict:
    command = [sys.executable, __file__, "--child", mode, *(["--verify"] if verify else [])]
    out = subprocess.run(command, env=_env(url), cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--repeat", type=int, default=3, help="runs of raw and copy (median)")
    parser.add_argument("--python-repeat", type=int, default=1)
    parser.add_argument("--verify", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.verify)
        return
    url = args.database_url
    floor = measure(url, "floor")
    results = {}
    for mode, repeat in (("raw", args.repeat), ("copy", args.repeat),
                         ("python", args.python_repeat)):
        runs = [measure(url, mode) for _ in range(repeat)]
        results[mode] = {
            "seconds": statistics.median(r["seconds"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs),
            "rows": runs[0]["rows"],
            "mb": runs[0]["bytes"] / 2**20,
        }
    print(f"# feedback CSV via COPY ({url.split('@')[-1]}), floor {floor['peak_mb']:.1f} MB")
    print("| path | rows | time s | vs raw COPY | peak RSS MB | above floor MB | output MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    raw = results["raw"]["seconds"]
    names = {"raw": "raw `COPY feedback_feedback TO STDOUT (FORMAT csv)`",
             "copy": "feedback report, COPY path (masked)",
             "python": "feedback report, Python path (masked)"}
    for mode, r in results.items():
        print(f"| {names[mode]} | {r['rows']:,} | {r['seconds']:.2f} | "
              f"{r['seconds'] / raw:.2f}× | {r['peak_mb']:.1f} | "
              f"{r['peak_mb'] - floor['peak_mb']:.1f} | {r['mb']:.1f} |")
    if args.verify:
        copy, python = measure(url, "copy", True), measure(url, "python", True)
        same = copy["sha256"] == python["sha256"] and copy["bytes"] == python["bytes"]
        print(f"byte-identical: {same} (sha256 {copy['sha256'][:16]}…，{copy['bytes']:,} bytes)")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
