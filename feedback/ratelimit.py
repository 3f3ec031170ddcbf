"""A fixed-window rate limiter on the shared cache (atomic add + incr), and its 429 page."""

from django.core.cache import cache
from django.shortcuts import render


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt under `key`; False once more than `limit` fall in `window` seconds."""
    cache_key = f"ratelimit:{key}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window expired between add() and incr()
        cache.add(cache_key, 1, timeout=window)
        count = 1
    return count <= limit


def client_ip(request) -> str:
    """The address the request came from (set by the proxy into REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def too_many_requests(request):
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "600"
    return response
