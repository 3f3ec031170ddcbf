"""Lighthouse on every public page, in 标准版 and 关怀版, against gunicorn with production settings.

    (cd bench/lighthouse && npm ci)       # once: Lighthouse 12 into bench/lighthouse/node_modules
    .venv/bin/python bench/lighthouse.py [--modes standard,care] [--only /feedback/new/] [--runs 1]

Production settings (DEBUG off, collected and compressed static files served by WhiteNoise,
HTML compressed by GZipMiddleware), a fresh SQLite database with the demo campaign, gunicorn
on a free loopback port. Lighthouse runs the mobile preset with its default (simulated)
throttling in Debian's Chromium (CHROME_PATH, /usr/bin/chromium by default; never downloaded).
关怀版 is asked for with its cookie, as a browser that switched to it sends it. Prints a
Markdown table: the four scores, LCP, bytes transferred, and the failed audits of each page.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "bench/lighthouse/node_modules/lighthouse/cli/index.js"
CARE_COOKIE = "yzfw_care"  # campaigns/care.py
PAGES = [
    "/",
    "/activities/",
    "/activities/?kind=open_day&city=北京",
    "/activities/5g-network-brain/",
    "{signup}",  # the open-day form of the first session with places (found at run time)
    "/activities/gm-reception-beijing/",
    "/activities/service-officer-recruitment/",
    "/activities/service-officer-recruitment/apply/",
    "/my/",
    "/my/lookup/",
    "/feedback/new/",
    "/feedback/",
    "/feedback/commitment/",
    "/feedback/status/",
    "/privacy/",
    "/en/",
    "/en/feedback/new/",
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_site(workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DATABASE_URL": f"sqlite:///{workdir / 'site.sqlite3'}",
        "REDIS_URL": "",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "",
    }
    python = sys.executable
    for command in (
        ["migrate", "--no-input"],
        ["collectstatic", "--no-input"],
        ["compile_translations"],
        ["load_demo"],
    ):
        subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    server = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 (loopback)
            return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


def signup_path(base: str) -> str:
    with urllib.request.urlopen(base + "/activities/5g-network-brain/") as response:  # noqa: S310
        html = response.read().decode()
    return re.search(r'href="(/activities/5g-network-brain/sessions/\d+/signup/)"', html).group(1)


def lighthouse(url: str, mode: str, out: Path) -> dict:
    command = [
        "node", str(LIGHTHOUSE), url,
        "--output=json", f"--output-path={out}", "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if mode == "care":
        command.append("--extra-headers=" + json.dumps({"Cookie": f"{CARE_COOKIE}=1"}))
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    for attempt in range(3):  # Chromium now and then fails to start on a busy machine
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode == 0:
            break
        print(f"lighthouse failed on {url} ({attempt + 1}/3): {done.stderr[-500:]}",
              file=sys.stderr, flush=True)
    else:
        return None
    report = json.loads(out.read_text())
    audits = report["audits"]
    failed = sorted(
        audit_id
        for category in report["categories"].values()
        for ref in category["auditRefs"]
        if ref["weight"] > 0
        for audit_id in [ref["id"]]
        if audits[audit_id]["score"] is not None and audits[audit_id]["score"] < 1
    )
    return {
        **{c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "bytes": audits["total-byte-weight"]["numericValue"],
        "failed": failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default="standard,care")
    parser.add_argument("--only", default="", help="comma-separated paths (default: all)")
    parser.add_argument("--runs", type=int, default=1, help="median of this many runs")
    parser.add_argument("--reports", default="", help="keep each JSON report in this folder")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is missing: (cd bench/lighthouse && npm ci)")
    workdir = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    server, base = start_site(workdir)
    try:
        pages = [p.format(signup=signup_path(base)) for p in PAGES]
        if args.only:
            pages = [p for p in pages if p in args.only.split(",")]
        rows = []
        for mode in args.modes.split(","):
            for path in pages:
                runs = [
                    result
                    for _ in range(args.runs)
                    if (result := lighthouse(base + path, mode, workdir / "report.json"))
                ]
                if args.reports:
                    name = re.sub(r"[^a-z0-9]+", "-", path).strip("-") or "home"
                    Path(args.reports).mkdir(parents=True, exist_ok=True)
                    shutil.copy(workdir / "report.json", Path(args.reports) / f"{mode}-{name}.json")
                if not runs:
                    continue
                result = {
                    key: statistics.median(r[key] for r in runs)
                    for key in (*CATEGORIES, "lcp", "bytes")
                }
                result["failed"] = sorted({a for r in runs for a in r["failed"]})
                rows.append((mode, path, result))
                print(f"{mode} {path}: {result}", file=sys.stderr, flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    print("\n| mode | page | Perf | A11y | BP | SEO | LCP s | KB transferred | failed audits |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for mode, path, r in rows:
        print(
            f"| {mode} | `{path}` | {r['performance']:.0f} | {r['accessibility']:.0f} | "
            f"{r['best-practices']:.0f} | {r['seo']:.0f} | {r['lcp']:.2f} | "
            f"{r['bytes'] / 1024:.1f} | {', '.join(r['failed']) or '–'} |"
        )
    command = " ".join([Path(sys.executable).name, "bench/lighthouse.py", *sys.argv[1:]])
    print(f"\nReproduce: {command}")


if __name__ == "__main__":
    main()
