"""Load benchmark: public pages under gunicorn against Django's floor, in the same run.

    .venv/bin/python bench/load.py [--database-url URL] [--duration 10] [--connections 8]
        [--workers 2] [--post-connections 16] [--only home,signup]

Runs production settings (DEBUG off, collected static files) against PostgreSQL by default,
loads the demo campaign, starts gunicorn on a free loopback port with config/gunicorn.conf.py
and measures each path with wrk (Debian package `wrk`). Loopback only, bounded in time.

Two baselines are served in the same run with the same gunicorn settings:
- **the floor**: a bare Django hello-world (bench/floor: `startproject`'s middleware and apps,
  no database), the fastest a Django page can be on this machine;
- **the site's hello-world**: the same view behind the site's own middleware (bench/urls.py),
  which shows what the middleware stack costs.
Every page is reported as a share of both.
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELLO = "/bench/hello"
FLOOR = "bare Django hello-world (the floor)"
PATHS = [
    ("hello-world through the site's middleware", HELLO),
    ("home", "/"),
    ("activity list", "/activities/"),
    ("activity detail", "/activities/5g-network-brain/"),
    ("feedback wall", "/feedback/"),
    ("48-hour scoreboard", "/feedback/commitment/"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_postgres_database(url: str) -> None:
    """Drop and create the benchmark database, so every run starts from the same data."""
    if url.startswith("postgres"):
        base, name = url.rsplit("/", 1)
        for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", f"{base}/postgres", "-c", sql], check=True, capture_output=True)


def wrk(url: str, *, duration: int, connections: int, threads: int, script: str = "",
        headers: tuple[str, ...] = ()) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def ms(label):
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "errors": int(errors.group(1)) if errors else 0,
    }


# Each request posts a form with a phone number of its own (13 + thread + counter).
POST_SCRIPT = """
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "COOKIE"
request = function()
  counter = counter + 1
  local phone = string.format("13%d%08d", tid % 10, counter)
  return wrk.format(nil, nil, nil, (string.gsub([[BODY]], "{phone}", phone)))
end
"""
NAME = urllib.parse.quote("王小明")
COMMENT = urllib.parse.quote("讲解很专业，希望多开几场。")
# What the bench session and theme are, and how many rows a model has, via the project's ORM.
SETUP_SHELL = """
import datetime
from django.utils import timezone
from campaigns.models import Activity, Region, Session, Theme
activity = Activity.objects.get(slug="5g-network-brain")
start = timezone.now() + datetime.timedelta(days=30)
session = Session.objects.create(activity=activity, title="bench", starts_at=start,
    ends_at=start + datetime.timedelta(hours=2), region=Region.objects.get(pk="110100"),
    venue="网络运营中心",
    capacity=10**7)
# Verification is on (production settings): each wrk thread's numbers get a valid code
# first, as the person's 获取验证码 would have made (the POST then checks it: one lookup).
from campaigns.models import PhoneCode
from campaigns.services.phone_codes import code_hash
now = timezone.now()
phones = [f"13{{tid % 10}}{{n:08d}}" for tid in range(1, {threads} + 1)
          for n in range(1, {per_thread} + 1)]
PhoneCode.objects.bulk_create(
    [PhoneCode(phone=phone, purpose="signup", code_hash=code_hash(phone, "signup", "{code}"),
               created_at=now, expires_at=now + datetime.timedelta(hours=1))
     for phone in phones],
    batch_size=5000,
)
print(session.pk, Theme.objects.order_by("order").first().pk)
"""
BENCH_CODE = "246810"
COUNT_SHELL = "from {app}.models import {model}; print({model}.objects.count())"


def shell(env, code: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def csrf(url: str) -> tuple[str, str]:
    """(cookie header, form token) from a GET of the form, as a browser would have them."""
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
        cookies = response.headers.get_all("Set-Cookie") or []
        html = response.read().decode()
    cookie = next(c.split(";")[0] for c in cookies if c.startswith("csrftoken="))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return cookie, token


def post_benchmarks(base: str, env: dict, args, server_pid: int, database: str) -> list[tuple]:
    """Signup and feedback POSTs: req/s, latency, and how many rows they really created."""
    setup = SETUP_SHELL.format(code=BENCH_CODE, threads=args.threads,
                               per_thread=2000 * args.duration)
    session_pk, theme_pk = shell(env, setup).splitlines()[-1].split()
    forms = [
        (
            "signup POST (open day, SMS code checked)",
            f"/activities/5g-network-brain/sessions/{session_pk}/signup/",
            f"name={NAME}&phone={{phone}}&sms_code={BENCH_CODE}&companions=0&rules_accepted=on"
            "&consent=on",
            ("campaigns", "Signup"),
        ),
        (
            "feedback POST",
            "/feedback/new/",
            f"theme={theme_pk}&kind=suggestion&overall_score=8&recommend_score=9&comment={COMMENT}",
            ("feedback", "Feedback"),
        ),
    ]
    results = []
    for label, path, body, (app, model) in forms:
        if not wanted(args, label):
            continue
        cookie, token = csrf(base + path)
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        script.write_text(
            POST_SCRIPT.replace("COOKIE", cookie).replace(
                "BODY", f"csrfmiddlewaretoken={token}&{body}"
            )
        )
        before = int(shell(env, COUNT_SHELL.format(app=app, model=model)).splitlines()[-1])
        with LockSampler(args.database_url) as locks, CpuMeter(server_pid, database) as cpu:
            result = wrk(
                base + path,
                duration=args.duration,
                connections=args.post_connections,
                threads=args.threads,
                script=str(script),
            )
        result["lock_waits"] = locks.share()
        result["cpu"] = cpu.per_request_ms(result["requests"])
        created = (
            int(shell(env, COUNT_SHELL.format(app=app, model=model)).splitlines()[-1]) - before
        )
        result["created"] = created
        results.append((label, path, result))
        script.unlink()
    return results


class LockSampler:
    """Polls pg_stat_activity every 10 ms during a run: the share of the application's
    busy backends that were waiting for a lock (a row lock shows as Lock/transactionid)."""

    def __init__(self, database_url: str):
        self.url = database_url
        self.busy = self.waiting = 0
        self._stop = threading.Event()

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        if self.url.startswith("postgres"):
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self):
        import psycopg

        query = (
            "SELECT count(*) FILTER (WHERE state = 'active'),"
            " count(*) FILTER (WHERE state = 'active' AND wait_event_type = 'Lock')"
            " FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self._stop.wait(0.01):
                busy, waiting = conn.execute(query).fetchone()
                self.busy += busy
                self.waiting += waiting

    def share(self) -> float | None:
        return self.waiting / self.busy if self.busy else None


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # fields from the state (3rd) on


class CpuMeter:
    """CPU seconds spent by gunicorn (master, its live workers, and the workers it already
    reaped, counted in its cutime/cstime) and by the PostgreSQL backends of the bench
    database, between `__enter__` and `__exit__`. Linux /proc only."""

    def __init__(self, server_pid: int, database: str):
        self.server_pid = server_pid
        self.database = database
        self.app = self.db = 0.0

    def _sample(self) -> tuple[float, float]:
        app = db = 0
        master = _stat(self.server_pid)
        if master:
            app += sum(int(v) for v in master[11:15])  # utime stime cutime cstime
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            fields = _stat(int(entry.name))
            if not fields:
                continue
            if int(fields[1]) == self.server_pid:
                app += int(fields[11]) + int(fields[12])
            elif int(fields[1]) != 0:
                try:
                    cmdline = (entry / "cmdline").read_bytes()
                except OSError:
                    continue
                if cmdline.startswith(b"postgres: ") and f" {self.database} ".encode() in cmdline:
                    db += int(fields[11]) + int(fields[12])
        return app / CLOCK_TICKS, db / CLOCK_TICKS

    def __enter__(self):
        self._start = self._sample()
        return self

    def __exit__(self, *exc):
        app, db = self._sample()
        self.app, self.db = app - self._start[0], db - self._start[1]

    def per_request_ms(self, requests: int) -> tuple[float, float]:
        if not requests:
            return 0, 0
        # PostgreSQL's share is a difference of samples over its backends: clamp the jitter.
        return 1000 * self.app / requests, max(0.0, 1000 * self.db / requests)


def gunicorn_shape(args) -> str:
    """Workers, threads and recycling as config/gunicorn.conf.py reads them here."""
    threads = os.environ.get("GUNICORN_THREADS", "1")
    worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
    recycle = os.environ.get("GUNICORN_MAX_REQUESTS", "50000")
    preload = "preloaded" if os.environ.get("GUNICORN_PRELOAD", "1") == "1" else "not preloaded"
    return (f"{args.workers} {worker_class} workers x {threads} threads, {preload}, "
            f"max_requests {recycle}")


def start_gunicorn(python: str, env: dict, module: str, port: int, ready: str):
    """gunicorn with config/gunicorn.conf.py serving `module` on `port`, once `ready` answers."""
    server = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "-c", "config/gunicorn.conf.py", module],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{ready}", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit(f"{module} did not start")


def measure(url: str, args, server_pid: int, database: str) -> dict:
    """A warm-up run, then the measured one with the CPU it cost."""
    # As a phone's browser asks (the floor's 12-byte answer is never compressed).
    headers = ("Accept-Encoding: gzip, deflate, br",) if args.accept_gzip else ()
    wrk(url, duration=2, connections=args.connections, threads=args.threads, headers=headers)
    with CpuMeter(server_pid, database) as cpu:
        result = wrk(url, duration=args.duration, connections=args.connections,
                     threads=args.threads, headers=headers)
    result["cpu"] = cpu.per_request_ms(result["requests"])
    return result


def wanted(args, label: str) -> bool:
    """--only 'signup,feedback POST' keeps the rows whose label contains one of the words."""
    return not args.only or any(word.strip() in label for word in args.only.split(","))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/6",
        help="the production cache; '' for per-process memory",
    )
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8, help="for the pages")
    parser.add_argument("--post-connections", type=int, default=16, help="for the forms")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--accept-gzip", action=argparse.BooleanOptionalAction, default=True,
                        help="pages asked for as browsers do, accepting gzip (default)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, every site")
    parser.add_argument(
        "--only", default="", help="comma-separated parts of row labels (hello-world always runs)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    fresh_postgres_database(args.database_url)
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": static_root,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DJANGO_CACHE_PREFIX": f"bench-{os.getpid()}",  # a cold cache for every run
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "",
        # Thousands of posts come from one address: the limits would answer 429.
        "CAMPAIGN_RATELIMIT_ENABLED": "0",
    }
    python = sys.executable
    for command in (
        ["migrate", "--no-input"],
        ["collectstatic", "--no-input"],
        ["load_demo"],
        ["compile_translations"],
    ):
        subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    env["GUNICORN_WORKERS"] = str(args.workers)
    floor_port = free_port()
    floor_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.floor.settings"}
    floor = start_gunicorn(python, floor_env, "bench.floor.wsgi", floor_port, HELLO)
    server = start_gunicorn(python, env, "bench.wsgi", port, "/healthz")
    base = f"http://127.0.0.1:{port}"
    database = args.database_url.rsplit("/", 1)[-1]
    try:
        results = [(FLOOR, HELLO, measure(f"http://127.0.0.1:{floor_port}{HELLO}", args,
                                          floor.pid, database))]
        for label, path in PATHS:
            if path == HELLO or wanted(args, label):
                results.append((label, path, measure(base + path, args, server.pid, database)))
        posts = post_benchmarks(base, env, args, server.pid, database)
    finally:
        for process in (server, floor):
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(static_root, ignore_errors=True)
    report(args, python, results, posts)


def report(args, python: str, results: list, posts: list) -> None:
    floor, site_hello = results[0][2], results[1][2]
    print(
        f"\n{args.connections} connections for pages, {args.post_connections} for forms, "
        f"{args.duration}s each, gunicorn (config/gunicorn.conf.py: {gunicorn_shape(args)}; "
        f"{os.cpu_count()} cores), {args.database_url.split(':')[0]}; pages asked for "
        f"{'accepting gzip, as browsers do' if args.accept_gzip else 'without compression'}\n"
    )
    print("| page | path | req/s | p50 ms | p99 ms | p99 / p50 | req/s vs the floor "
          "| req/s vs the site's hello-world | p99 vs the floor's | p99 vs the site's hello-world "
          "| non-2xx | CPU ms/request: gunicorn + PostgreSQL |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, path, r in results:
        print(
            f"| {label} | `{path}` | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['p99'] / r['p50']:.1f} | {r['rps'] / floor['rps']:.0%} | "
            f"{r['rps'] / site_hello['rps']:.0%} | {r['p99'] / floor['p99']:.1f}× | "
            f"{r['p99'] / site_hello['p99']:.1f}× | {r['errors']} | "
            f"{r['cpu'][0]:.1f} + {r['cpu'][1]:.1f} |"
        )
    print(
        "\n| form | path | req/s | p50 ms | p99 ms | requests | rows created "
        "| busy backends waiting on a lock | non-2xx | CPU ms/request: gunicorn + PostgreSQL "
        "| per second per core of gunicorn CPU |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, path, r in posts:
        waits = "–" if r["lock_waits"] is None else f"{r['lock_waits']:.0%}"
        per_core = f"{1000 / r['cpu'][0]:.0f}" if r["cpu"][0] else "–"
        print(
            f"| {label} | `{path}` | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['requests']} | {r['created']} | {waits} | {r['errors']} "
            f"| {r['cpu'][0]:.1f} + {r['cpu'][1]:.1f} | {per_core} |"
        )
    print(f"\nReproduce: {' '.join([Path(python).name, 'bench/load.py', *sys.argv[1:]])}")


if __name__ == "__main__":
    main()
