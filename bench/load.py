"""Load benchmark: public pages under gunicorn, each as a ratio to a hello-world Django view.

    .venv/bin/python bench/load.py [--database-url URL] [--duration 10] [--connections 16]

Runs production settings (DEBUG off, collected static files) against PostgreSQL by default,
loads the demo campaign, starts gunicorn on a free loopback port with config/gunicorn.conf.py
and measures each path with wrk (Debian package `wrk`). Loopback only, bounded in time.
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
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = [
    ("hello-world Django view", "/bench/hello"),
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


def wrk(url: str, *, duration: int, connections: int, threads: int) -> dict:
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label):
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/6",
        help="the production cache; '' for per-process memory",
    )
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
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
    gunicorn = Path(python).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-c", "config/gunicorn.conf.py", "bench.wsgi"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.2)
        results = []
        for label, path in PATHS:
            wrk(base + path, duration=2, connections=args.connections, threads=args.threads)
            results.append(
                (
                    label,
                    path,
                    wrk(
                        base + path,
                        duration=args.duration,
                        connections=args.connections,
                        threads=args.threads,
                    ),
                )
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(static_root, ignore_errors=True)

    hello = results[0][2]["rps"]
    print(
        f"\n{args.connections} connections, {args.duration}s each, gunicorn "
        f"(config/gunicorn.conf.py, {os.cpu_count()} cores), {args.database_url.split(':')[0]}\n"
    )
    print("| page | path | req/s | p50 ms | p99 ms | vs hello-world | non-2xx |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for label, path, r in results:
        print(
            f"| {label} | `{path}` | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['rps'] / hello:.0%} | {r['errors']} |"
        )
    print(f"\nReproduce: {' '.join([Path(python).name, 'bench/load.py', *sys.argv[1:]])}")


if __name__ == "__main__":
    main()
