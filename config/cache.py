"""A Redis cache that degrades to "empty cache" instead of failing the page.

Django's RedisCache raises when Redis does not answer, so an outage of a cache would become
an outage of the site. DegradingRedisCache answers as an empty cache that forgets every write
(get -> default, add -> True, incr -> delta, has_key -> False) and logs the outage once per
process, without keys or the server's URL (which may hold a password). After a failure it
leaves Redis alone for RETRY_SECONDS so that a dead host costs one timeout, not one per call.

Rate limits that count in the cache therefore let requests through while Redis is down; the
admin login lockout (django-axes) counts in the database and is not affected.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class Outages:
    """Which Redis locations are down, shared by every thread of the process.

    Django keeps one cache backend instance per thread, so this state lives in the module.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._retry_at: dict[str, float] = {}

    def is_resting(self, location: str) -> bool:
        retry_at = self._retry_at.get(location)
        return retry_at is not None and time.monotonic() < retry_at

    def failed(self, location: str, exc: BaseException, retry_seconds: float) -> None:
        with self._lock:
            first = location not in self._retry_at
            self._retry_at[location] = time.monotonic() + retry_seconds
        if first:
            logger.warning(
                "Redis cache unreachable (%s): serving without cache until it answers again",
                type(exc).__name__,
            )

    def succeeded(self, location: str) -> None:
        if location not in self._retry_at:
            return
        with self._lock:
            recovered = self._retry_at.pop(location, None) is not None
        if recovered:
            logger.warning("Redis cache reachable again")

    def reset(self) -> None:
        with self._lock:
            self._retry_at.clear()


outages = Outages()


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` (~170 callback entries) for every cache call;
    a Redis object is only a handle on the shared connection pool, so keep one per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class DegradingRedisCache(RedisCache):
    RETRY_SECONDS = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._location = server if isinstance(server, str) else ",".join(server)

    def _call(self, fallback, operation, *args, **kwargs):
        if outages.is_resting(self._location):
            return fallback
        try:
            result = operation(*args, **kwargs)
        except UNREACHABLE as exc:
            outages.failed(self._location, exc, self.RETRY_SECONDS)
            return fallback
        outages.succeeded(self._location)
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # As if the key were absent: callers that use add() as a lock go ahead.
        return self._call(True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        # As if the counter had just started: a rate limit counts this as the first hit.
        return self._call(delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(None, super().delete_many, keys, version)

    def clear(self):
        return self._call(False, super().clear)
