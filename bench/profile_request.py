"""CPU per request in process, and where it goes: a cached public page or a signup post.

    .venv/bin/python bench/profile_request.py [--database-url URL] [--requests 2000]
        [--page /] [--profile 25]

Sets up the production settings as bench/load.py does (a fresh PostgreSQL database with the
demo campaign, Redis as the cache, verification by SMS code on), then calls the site's WSGI
application directly, without a server: first `--requests` GETs of `--page` (an anonymous
visitor, answered from the page cache after the first), then as many signup posts to one open
day, each with its own phone number and a valid SMS code (the code check is counted, as a
person's 获取验证码 would have made it). It prints the CPU time of this process per request
(Python, plus the database driver's work on this side; PostgreSQL's own time is not in it)
and, with `--profile N`, the N functions where the page and the posts spend most of it
(cProfile, in a second round so that its overhead stays out of the figures).

The same bare Django hello-world as the load benchmark's floor (bench/floor) is timed in a
second process first, so the figures have their floor beside them.
"""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import BENCH_CODE, NAME, SETUP_SHELL, fresh_postgres_database  # noqa: E402

FLOOR_SNIPPET = """
import os, sys, time
sys.path.insert(0, {root!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.floor.settings"
from django.core.wsgi import get_wsgi_application
from django.test.client import RequestFactory
app = get_wsgi_application()
environ = RequestFactory()._base_environ(PATH_INFO="/bench/hello", REQUEST_METHOD="GET")
def start_response(status, headers):
    pass
for _ in range(200):
    app(dict(environ), start_response)
started = time.process_time()
for _ in range({n}):
    app(dict(environ), start_response)
print((time.process_time() - started) * 1000 / {n})
"""


def environment(database_url: str, redis_url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_CACHE_PREFIX=f"profile-{os.getpid()}",
        CAMPAIGN_RATELIMIT_ENABLED="0",
        DJANGO_STATIC_ROOT=tempfile.mkdtemp(prefix="bench-static-"),
    )


def floor_ms(requests: int) -> float:
    out = subprocess.run(
        [sys.executable, "-c", FLOOR_SNIPPET.format(root=str(ROOT), n=requests)],
        capture_output=True, text=True, check=True,
    ).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--page", default="/")
    parser.add_argument("--profile", type=int, default=0,
                        help="top N functions of the page's and the posts' time")
    parser.add_argument("--sort", default="tottime", help="cProfile order: tottime, cumulative")
    args = parser.parse_args()

    floor = floor_ms(args.requests)
    fresh_postgres_database(args.database_url)
    environment(args.database_url, args.redis_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", verbosity=0, interactive=False)
    for command in ("migrate", "load_demo", "compile_translations"):
        call_command(command, verbosity=0, stdout=io.StringIO())
    from django.core.wsgi import get_wsgi_application

    from config.warmup import warm_up

    app = get_wsgi_application()
    warm_up()  # as gunicorn's master does before it forks the workers
    client = Client(app)
    client.sort = args.sort

    page_ms, page_profile = client.time_gets(args.page, args.requests, profile=args.profile)
    signup_ms, profile = client.time_signups(args.requests, profile=args.profile)
    print(f"\nCPU ms per request in process (this machine: {os.cpu_count()} cores)\n")
    print("| request | CPU ms | vs the floor |")
    print("|---|---:|---:|")
    print(f"| bare Django hello-world (the floor) | {floor:.2f} | 1.0× |")
    print(f"| cached page `{args.page}` (anonymous) | {page_ms:.2f} | {page_ms / floor:.1f}× |")
    print(f"| signup post (open day, SMS code checked) | {signup_ms:.2f} | "
          f"{signup_ms / floor:.1f}× |")
    if page_profile:
        print(f"\nWhere the page's time goes (cProfile, top {args.profile}):\n")
        print(page_profile)
    if profile:
        print(f"\nWhere the posts' time goes (cProfile, top {args.profile} by own time):\n")
        print(profile)
    print(f"\nReproduce: python bench/profile_request.py {' '.join(sys.argv[1:])}")


class Client:
    """Just enough of a browser: WSGI environs, the CSRF cookie and token of the form."""

    def __init__(self, app):
        from django.test.client import RequestFactory

        self.app = app
        self.factory = RequestFactory()

    def call(self, environ) -> tuple[str, bytes]:
        status = []
        body = b"".join(self.app(environ, lambda s, h: status.append((s, h))))
        return status[0], body

    def time_gets(self, path: str, n: int, *, profile: int) -> tuple[float, str]:
        environ = self.factory._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
        (status, _headers), _ = self.call(dict(environ))
        assert status.startswith("200"), status
        times = []
        for _ in range(n):
            started = time.process_time()
            self.call(dict(environ))
            times.append(time.process_time() - started)
        text = ""
        if profile:  # a second round, profiled: cProfile's overhead stays out of the figure
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(n):
                self.call(dict(environ))
            profiler.disable()
            text = self.stats(profiler, profile)
        return statistics.mean(times) * 1000, text

    def stats(self, profiler, top: int) -> str:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(self.sort)
        stats.print_stats(top)
        if os.environ.get("PROFILE_CALLERS"):
            stats.print_callers(os.environ["PROFILE_CALLERS"])
        return out.getvalue()

    def time_signups(self, n: int, *, profile: int) -> tuple[float, str]:
        import re

        from django.test.client import FakePayload

        from campaigns.models import Signup

        namespace = {}
        exec(SETUP_SHELL.format(code=BENCH_CODE, threads=1, per_thread=n), namespace)  # noqa: S102
        session_pk = namespace["session"].pk
        path = f"/activities/5g-network-brain/sessions/{session_pk}/signup/"
        (status, headers), html = self.call(
            self.factory._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
        )
        assert status.startswith("200"), status
        cookie = next(v.strip().split(";")[0] for k, v in headers if k == "Set-Cookie"
                      and v.strip().startswith("csrftoken="))
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
        before = Signup.objects.count()
        profiler = cProfile.Profile() if profile else None
        times = []
        for number in range(1, n + 1):
            body = (f"csrfmiddlewaretoken={token}&name={NAME}&phone=131{number:08d}"
                    f"&sms_code={BENCH_CODE}&companions=0&rules_accepted=on&consent=on").encode()
            environ = self.factory._base_environ(
                PATH_INFO=path, REQUEST_METHOD="POST", HTTP_COOKIE=cookie,
                CONTENT_TYPE="application/x-www-form-urlencoded",
                CONTENT_LENGTH=str(len(body)), **{"wsgi.input": FakePayload(body)},
            )
            started = time.process_time()
            if profiler:
                profiler.enable()
            (status, _headers), body = self.call(environ)
            if profiler:
                profiler.disable()
            times.append(time.process_time() - started)
            assert status.startswith("302"), (status, body[:300])
        assert Signup.objects.count() - before == n, "every post made a signup"
        text = self.stats(profiler, profile) if profiler else ""
        return statistics.mean(times) * 1000, text


if __name__ == "__main__":
    main()
