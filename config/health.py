"""Probes: /healthz (the process is alive) and /readyz (it can serve: database, Redis, schema).

- `/healthz` touches nothing: 200 `ok` while the process answers. For a supervisor deciding
  whether to restart it (restarting because PostgreSQL is down would not help).
- `/readyz` answers 200 `ok` when the database answers, Redis answers (when `REDIS_URL` or
  the RQ queue is configured) and every migration is applied; otherwise 503 with one line per
  reason (`database unavailable`, `redis unavailable`, `migrations not applied`). For a load
  balancer or a deploy script deciding whether to send traffic here.

Both are exempt from the HTTPS redirect, never cached, and log no personal data.
"""

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Once every migration is applied it stays so for the life of the process: checked once.
_schema_ready = False


def _text(lines: list[str], status: int) -> HttpResponse:
    return HttpResponse("".join(f"{line}\n" for line in lines), status=status,
                        content_type="text/plain")


@require_GET
@never_cache
def healthz(request):
    return _text(["ok"], 200)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def redis_urls() -> list[str]:
    urls = [settings.REDIS_URL] if getattr(settings, "REDIS_URL", "") else []
    tasks_url = getattr(settings, "TASKS_REDIS_URL", "")
    if settings.TASKS_BACKEND == "rq" and tasks_url and tasks_url not in urls:
        urls.append(tasks_url)
    return urls


def redis_ok() -> bool:
    for url in redis_urls():
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            client.ping()
        except (redis.RedisError, OSError):
            return False
        finally:
            client.close()
    return True


def migrations_applied() -> bool:
    global _schema_ready
    if not _schema_ready:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        _schema_ready = not plan
    return _schema_ready


@require_GET
@never_cache
def readyz(request):
    problems = []
    if not database_ok():
        problems.append("database unavailable")
    if not redis_ok():
        problems.append("redis unavailable")
    if "database unavailable" not in problems:
        try:
            if not migrations_applied():
                problems.append("migrations not applied")
        except DatabaseError:
            problems.append("database unavailable")
    if problems:
        return _text(problems, 503)
    return _text(["ok"], 200)
