"""With Redis, a cached page costs no round trip, and another server's change still shows at once.

Each process keeps a copy of the public pages' version and Redis tells it the moment the key
changes (CLIENT TRACKING, config.cache.KeyWatch). These tests use a redis-server of their own
and play "another server" with a plain Redis client on it: its bump, a flush, a restart, a
server that refuses tracking, and a forked worker (gunicorn preloads the application).
"""

import os
import time

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings

from campaigns.models import Activity
from campaigns.public_cache import VERSION_KEY
from config.cache import DegradingRedisCache, outages
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_pages(private_redis, monkeypatch):
    """The site's cache on the test's own Redis, as production has it; yields the other
    server's client."""
    url, other_server = private_redis
    monkeypatch.setattr(DegradingRedisCache, "RETRY_SECONDS", 0.2)
    outages.reset()
    caches = {"default": {"BACKEND": "config.cache.DegradingRedisCache", "LOCATION": url,
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    with override_settings(CACHES=caches, REDIS_URL=url, PUBLIC_PAGE_CACHE_SECONDS=60):
        yield other_server
    outages.reset()


@pytest.fixture
def url():
    return SessionFactory(activity__title="探秘5G网络大脑").activity.get_absolute_url()


def gets(other_server) -> int:
    stats = other_server.info("commandstats")
    return stats.get("cmdstat_get", {}).get("calls", 0)


def title_shown(client, url, title, *, within=2.0) -> bool:
    """The page shows `title` on the first request after the invalidation has had time to
    cross the loopback (microseconds; the limit is far below the page's 60 s)."""
    deadline = time.monotonic() + within
    while title not in client.get(url).content.decode():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_cached_pages_are_answered_without_asking_redis(client, url, redis_pages):
    client.get(url)
    client.get(url)  # the page and the version are now in this process
    before = gets(redis_pages)
    for _ in range(20):
        assert client.get(url).wsgi_request.cached_route
    assert gets(redis_pages) == before


def test_another_servers_bump_shows_on_the_next_request(client, url, redis_pages):
    assert "探秘5G网络大脑" in client.get(url).content.decode()
    assert client.get(url).wsgi_request.cached_route
    Activity.objects.update(title="走进5G网络大脑")  # saved on another server…
    redis_pages.incr(cache.make_key(VERSION_KEY))  # …which then bumps the version
    assert title_shown(client, url, "走进5G网络大脑")


def test_this_process_sees_its_own_bump_at_once(
    client, url, redis_pages, django_capture_on_commit_callbacks
):
    client.get(url)
    assert client.get(url).wsgi_request.cached_route
    activity = Activity.objects.get()
    activity.title = "走进5G网络大脑"
    with django_capture_on_commit_callbacks(execute=True):
        activity.save()  # bumps the version once committed
    # No waiting for the invalidation: this process wrote, so it dropped its copy.
    assert "走进5G网络大脑" in client.get(url).content.decode()


def test_a_flushed_redis_never_leaves_an_old_page_served(client, url, redis_pages):
    client.get(url)
    assert client.get(url).wsgi_request.cached_route
    Activity.objects.update(title="走进5G网络大脑")
    redis_pages.flushdb()  # the version is gone with everything else
    assert title_shown(client, url, "走进5G网络大脑")


def test_pages_serve_through_a_restart_and_bumps_show_again_after_it(
    client, url, redis_pages, private_redis
):
    client.get(url)
    redis_pages.client_kill_filter(skipme=True)  # every connection of the site drops
    assert client.get(url).status_code == 200
    time.sleep(DegradingRedisCache.RETRY_SECONDS + 0.1)
    client.get(url)
    assert client.get(url).wsgi_request.cached_route  # watched again, on a new connection
    Activity.objects.update(title="走进5G网络大脑")
    redis_pages.incr(cache.make_key(VERSION_KEY))
    assert title_shown(client, url, "走进5G网络大脑")


def test_without_client_tracking_the_version_is_read_each_time(client, url, redis_pages, caplog):
    # A server (or a proxy in front of it) that refuses CLIENT TRACKING.
    redis_pages.execute_command("ACL", "SETUSER", "default", "-client|tracking")
    client.get(url)
    before = gets(redis_pages)
    assert client.get(url).wsgi_request.cached_route
    assert gets(redis_pages) > before  # read from Redis, not from a copy
    Activity.objects.update(title="走进5G网络大脑")
    redis_pages.incr(cache.make_key(VERSION_KEY))
    assert "走进5G网络大脑" in client.get(url).content.decode()
    assert "Redis key watch unavailable (NoPermissionError)" in caplog.text


def test_a_forked_worker_watches_on_a_connection_of_its_own(
    client, url, redis_pages, private_redis
):
    key = cache.make_key(VERSION_KEY)
    client.get(url)
    parent_version = cache.watched_get(VERSION_KEY)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: bump as another server would, then read through the watch
        try:
            redis.Redis.from_url(private_redis[0]).incr(key)
            deadline = time.monotonic() + 2
            seen = cache.watched_get(VERSION_KEY)
            while seen == parent_version and time.monotonic() < deadline:
                seen = cache.watched_get(VERSION_KEY)
            os.write(writer, str(seen).encode())
        finally:
            os._exit(0)
    os.close(writer)
    os.waitpid(pid, 0)
    seen_by_worker = int(os.read(reader, 64) or 0)
    os.close(reader)
    assert seen_by_worker == parent_version + 1
    # The parent's own connection was not touched by the worker: it still answers, and
    # learned of the bump like any other watcher.
    deadline = time.monotonic() + 2
    while cache.watched_get(VERSION_KEY) != parent_version + 1:
        assert time.monotonic() < deadline
        time.sleep(0.01)
