"""Fixed-window rate limits on the cache (Redis when REDIS_URL is set: shared by processes).

`hit(name, key)` counts one attempt against the limit `name` in settings.RATELIMITS
("count/period", period s, m, h or d); `limit_form_post()` is the step every public form
post takes. Keys are hashed so no IP or phone lands in Redis. The client's address comes
from config.clientip (the same rule as the login lockout).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from config.clientip import client_ip

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(Exception):
    def __init__(self, name: str, retry_after: int):
        super().__init__(name)
        self.name = name
        self.retry_after = retry_after


def parse_rate(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[-1]] * int(period.strip()[:-1] or 1)


def hit(name: str, key: str) -> None:
    """Count one attempt for `key` under the limit `name`; raise RateLimited when over."""
    rate = getattr(settings, "RATELIMITS", {}).get(name)
    if not rate or not getattr(settings, "RATELIMIT_ENABLED", True):
        return
    limit, window = parse_rate(rate)
    bucket = int(time.time() // window)
    digest = hashlib.sha256(f"{name}:{key}".encode()).hexdigest()[:32]
    cache_key = f"rl:{name}:{bucket}:{digest}"
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        raise RateLimited(name, retry_after=window - int(time.time()) % window)


def limit_form_post(request, scope: str, form):
    """Count a form submission against `<scope>_ip` and, once the form knows the phone,
    `<scope>_phone`; the 429 page when over a limit, None otherwise."""
    phone = getattr(form, "cleaned_data", {}).get("phone") or ""
    try:
        hit(f"{scope}_ip", client_ip(request))
        if phone:
            hit(f"{scope}_phone", phone)
    except RateLimited as exc:
        return limited_response(request, exc)
    return None


def limited_response(request, exc: RateLimited, template: str = "429.html"):
    context = {"retry_minutes": max(exc.retry_after // 60, 1)}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response
