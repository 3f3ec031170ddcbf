"""A Redis cache that degrades to "empty cache" instead of failing the page.

Django's RedisCache raises when Redis does not answer, so an outage of a cache would become
an outage of the site. DegradingRedisCache answers as an empty cache that forgets every write
(get -> default, add -> True, incr -> delta, has_key -> False) and logs the outage once per
process, without keys or the server's URL (which may hold a password). After a failure it
leaves Redis alone for RETRY_SECONDS so that a dead host costs one timeout, not one per call.

Rate limits that count in the cache therefore let requests through while Redis is down; the
admin login lockout (django-axes) counts in the database and is not affected.

`watched_get` reads a key that every request needs (the public pages' version) without a
round trip: see KeyWatch.
"""

import logging
import os
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
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


class KeyWatch:
    """Copies of a few keys kept in this process, true to Redis without asking it each time.

    The keys are read on a connection of the process's own with CLIENT TRACKING on: Redis
    then pushes an invalidation on that connection as soon as anyone changes a key it read
    there, or evicts it, or flushes the database. Until a push comes the copy is the value,
    and looking for a push is a poll of the socket (about a microsecond), where a GET costs a
    round trip (60 µs of this process's CPU, and Redis's). Copies are dropped on any push, on
    any reconnection (tracking is switched on again first), after a fork (gunicorn preloads
    the application) and after this process writes to the cache, so that its own next read
    sees its write. On any error the watch gives up (MISSED) and the caller reads as usual.
    """

    MISSED = object()

    def __init__(self, url: str, options: dict, loads, retry_seconds: float):
        self._url, self._options, self._loads = url, options, loads
        self._retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._connection = None
        self._pid = None
        self._values: dict[str, object] = {}
        self._retry_at = 0.0

    def get(self, key: str):
        with self._lock:
            if self._retry_at and time.monotonic() < self._retry_at:
                return self.MISSED
            try:
                return self._get(key)
            except (RedisError, OSError) as exc:
                # Redis down, or a server or proxy without CLIENT TRACKING: read as usual,
                # and try the watch again later rather than on every request.
                logger.warning("Redis key watch unavailable (%s): reading keys each time",
                               type(exc).__name__)
                self._close()
                self._retry_at = time.monotonic() + self._retry_seconds
                return self.MISSED

    def forget(self) -> None:
        with self._lock:
            self._values.clear()

    def _get(self, key: str):
        connection = self._open()
        if connection.can_read(0):  # invalidations (or the server closing): drop the copies
            self._values.clear()
            while connection.can_read(0):
                connection.read_response(push_request=True)
        if key in self._values:
            return self._values[key]
        connection.send_command("GET", key)
        raw = connection.read_response()
        # A push that came before this reply was read and dropped with it: it may have been
        # about another key, so only this key's copy, fresher than that push, is kept.
        self._values = {key: None if raw is None else self._loads(raw)}
        return self._values[key]

    def _open(self):
        if self._connection is None or self._pid != os.getpid():
            pool = redis.ConnectionPool.from_url(self._url, protocol=3, **self._options)
            connection = pool.make_connection()
            connection.register_connect_callback(self._track)
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    def _track(self, connection) -> None:
        """On every (re)connection, before anything is read on it."""
        self._values.clear()
        connection.send_command("CLIENT", "TRACKING", "ON")
        connection.read_response()

    def _close(self) -> None:
        self._values.clear()
        if self._connection is not None and self._pid == os.getpid():
            self._connection.disconnect()
        self._connection = None


class Watches:
    """One KeyWatch per Redis location, shared by the threads of a process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._watches: dict[str, KeyWatch] = {}

    def get(self, location: str, make) -> KeyWatch:
        watch = self._watches.get(location)
        if watch is None:
            with self._lock:
                watch = self._watches.setdefault(location, make())
        return watch

    def forget(self, location: str) -> None:
        watch = self._watches.get(location)
        if watch is not None:
            watch.forget()


watches = Watches()


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

    def watched_get(self, key, default=None, version=None):
        """get(), from this process's copy for as long as Redis has not said the key changed."""
        if outages.is_resting(self._location):
            return default
        watch = watches.get(self._location, self._new_watch)
        value = watch.get(self.make_and_validate_key(key, version=version))
        if value is KeyWatch.MISSED:
            return self.get(key, default, version)
        return default if value is None else value

    def _new_watch(self) -> KeyWatch:
        options = {name: value for name, value in self._options.items()
                   if name not in ("pool_class", "parser_class", "serializer")}
        return KeyWatch(self._servers[0], options, self._cache._serializer.loads,
                        self.RETRY_SECONDS)

    def _write(self, fallback, operation, *args, **kwargs):
        """A write: this process's watched copies are dropped, so it reads its own write."""
        try:
            return self._call(fallback, operation, *args, **kwargs)
        finally:
            watches.forget(self._location)

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
        return self._write(True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._write(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._write(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        # As if the counter had just started: a rate limit counts this as the first hit.
        return self._write(delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._write(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._write(None, super().delete_many, keys, version)

    def clear(self):
        return self._write(False, super().clear)
