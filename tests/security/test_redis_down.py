"""Without Redis the site still serves pages: the cache answers as an empty one and logs once."""

import logging

import pytest
import redis
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from config.cache import DegradingRedisCache, outages

from .conftest import DEAD_REDIS_URL, TEST_REDIS_URL, run_python

OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def cache_at(url: str, backend=DegradingRedisCache):
    return backend(url, {"KEY_PREFIX": "security-tests", "OPTIONS": OPTIONS})


@pytest.fixture(autouse=True)
def _forget_outages():
    outages.reset()
    yield
    outages.reset()


def outage_records(caplog):
    return [r for r in caplog.records if r.name == "config.cache"]


def test_plain_redis_cache_fails_the_caller_when_redis_is_down():
    """Why the wrapper exists: Django's own backend raises."""
    with pytest.raises(redis.exceptions.ConnectionError):
        cache_at(DEAD_REDIS_URL, backend=RedisCache).get("visitor-count")


def test_dead_redis_answers_as_an_empty_cache_that_forgets_writes(caplog):
    cache = cache_at(DEAD_REDIS_URL)
    cache.RETRY_SECONDS = 0  # try Redis on every call, as after each rest period

    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert cache.get("k", "default") == "default"
        assert cache.set("k", 1) is None
        assert cache.add("lock", 1) is True
        assert cache.incr("hits") == 1
        assert cache.decr("hits") == -1
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.has_key("k") is False
        assert cache.touch("k") is False
        assert cache.delete("k") is False
        assert cache.delete_many(["a"]) is None
        assert cache.get_or_set("computed", lambda: 42) == 42
        assert cache.clear() is False

    records = outage_records(caplog)
    assert len(records) == 1, "one log line per outage, not one per call"
    message = records[0].getMessage()
    assert "unreachable" in message
    assert "127.0.0.1" not in message and ":1/" not in message  # no URL (it may hold a password)


def test_after_a_failure_redis_is_left_alone_for_a_while():
    cache = cache_at(DEAD_REDIS_URL)
    assert cache.get("k") is None
    assert outages.is_resting(DEAD_REDIS_URL)

    # While resting the backend does not even open a connection.
    cache._cache.get_client = None  # would raise TypeError if called
    assert cache.get("k", "miss") == "miss"


def test_pages_serve_while_redis_is_down(client, db):
    dead = {"default": {"BACKEND": "config.cache.DegradingRedisCache", "LOCATION": DEAD_REDIS_URL}}
    with override_settings(CACHES=dead):
        from django.core.cache import cache

        assert cache.get("anything", "miss") == "miss"
        assert client.get("/").status_code == 200
        assert client.get("/activities/").status_code == 200


def test_real_redis_works_normally():
    cache = cache_at(TEST_REDIS_URL)
    # Only our own keys: db 2 may be shared, so no clear() (FLUSHDB).
    cache.delete_many(["greeting", "hits"])
    try:
        cache.set("greeting", {"text": "你好"}, 30)
        assert cache.get("greeting") == {"text": "你好"}
        assert cache.add("greeting", "other") is False
        assert cache.add("hits", 0) is True
        assert cache.incr("hits", 2) == 2
        assert cache.get_many(["greeting", "missing"]) == {"greeting": {"text": "你好"}}
        assert cache.delete("greeting") is True
        assert cache.get("greeting", "gone") == "gone"
    finally:
        cache.delete_many(["greeting", "hits"])
    assert not outages.is_resting(TEST_REDIS_URL)


def test_recovery_is_logged_once(caplog):
    cache = cache_at(TEST_REDIS_URL)
    outages.failed(TEST_REDIS_URL, redis.exceptions.ConnectionError(), retry_seconds=0)
    caplog.clear()

    with caplog.at_level(logging.WARNING, logger="config.cache"):
        cache.set("k", 1, 30)
        cache.get("k")

    assert [r.getMessage() for r in outage_records(caplog)] == ["Redis cache reachable again"]
    cache.delete("k")


REDIS_DOWN_PROBE = """
    import json

    import django
    django.setup()
    from django.core.cache import caches
    from django.test import Client

    cache = caches["default"]
    client = Client(HTTP_HOST="example.com")
    cache.set("probe", 1)
    print(json.dumps({
        "backend": type(cache).__name__,
        "home": client.get("/", secure=True).status_code,
        "activities": client.get("/activities/", secure=True).status_code,
        "cached": cache.get("probe", "miss"),
    }))
"""


def test_production_settings_use_the_degrading_cache_and_serve_without_redis(production_env):
    result = run_python(REDIS_DOWN_PROBE, production_env(REDIS_URL=DEAD_REDIS_URL))

    assert result == {
        "backend": "DegradingRedisCache",
        "home": 200,
        "activities": 200,
        "cached": "miss",
    }
