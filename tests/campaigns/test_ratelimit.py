"""Rate limits count in the cache, so all processes share them when Redis is configured."""

import uuid
from unittest.mock import patch

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from campaigns import ratelimit

REDIS = "redis://127.0.0.1:6379/1"


def test_limit_allows_up_to_the_count_then_refuses():
    with override_settings(RATELIMITS={"demo": "3/m"}):
        for _ in range(3):
            ratelimit.hit("demo", "1.2.3.4")
        with pytest.raises(ratelimit.RateLimited) as exc:
            ratelimit.hit("demo", "1.2.3.4")
        assert 0 < exc.value.retry_after <= 60
        ratelimit.hit("demo", "5.6.7.8")  # other keys are counted apart


def test_unknown_limit_and_disabled_limits_never_refuse():
    for _ in range(50):
        ratelimit.hit("no-such-limit", "k")
    with override_settings(RATELIMITS={"demo": "1/h"}, RATELIMIT_ENABLED=False):
        for _ in range(5):
            ratelimit.hit("demo", "k")


@pytest.mark.parametrize(("rate", "expected"), [("5/m", (5, 60)), ("20/h", (20, 3600)),
                                                 ("2/10s", (2, 10)), ("100/d", (100, 86400))])
def test_rates_are_parsed(rate, expected):
    assert ratelimit.parse_rate(rate) == expected


def test_client_ip_uses_forwarded_for_only_behind_trusted_proxies():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1",
                                   HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    assert ratelimit.client_ip(request) == "10.0.0.1"
    with override_settings(TRUSTED_PROXIES=["10.0.0.1"]):
        assert ratelimit.client_ip(request) == "1.2.3.4"


def test_keys_in_the_cache_hold_no_phone_number():
    with override_settings(RATELIMITS={"demo": "3/m"}):
        ratelimit.hit("demo", "13800138000")
    cache = caches["default"]
    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys and not any("13800138000" in key for key in keys)


def test_limits_are_shared_through_redis():
    """Two cache clients (as two processes would have) on one Redis see the same count."""
    redis_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                               "LOCATION": REDIS, "KEY_PREFIX": "test-signup-ratelimit"}}
    key = f"client-{uuid.uuid4()}"  # unique: never clear() a Redis others may share
    with override_settings(CACHES=redis_cache, RATELIMITS={"demo": "2/m"}):
        first_process = caches.create_connection("default")
        try:
            first_process.get("ping")
        except Exception:
            pytest.skip("Redis is not reachable")
        ratelimit.hit("demo", key)  # counted through this process's `caches["default"]`
        second_process = caches.create_connection("default")
        with patch.object(ratelimit, "cache", second_process):
            ratelimit.hit("demo", key)
            with pytest.raises(ratelimit.RateLimited):
                ratelimit.hit("demo", key)
