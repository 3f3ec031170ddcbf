"""What the site tells its operators: one JSON line per request, a request id, request metrics.

- **Request id.** `X-Request-ID` from the proxy (nginx sets it from `$request_id`) is kept when
  it looks like an id (letters, digits, `-_.:`, at most 64), otherwise a new one is made. It is
  returned in the response's `X-Request-ID`, put on every log record written while the request
  runs (`RequestIdFilter`), and passed to the tasks the request queues (config/tasks.py), whose
  log records carry it too.
- **One log line per request** (logger `campaign.request`): method, route name (the URL
  pattern's name, e.g. `campaigns:activity_detail`, never the path: paths hold reference
  codes), status, duration in ms and the staff user's id. Never the path, the query string,
  a name or a number.
- **Request metrics** for Prometheus (`http_requests_total`, `http_request_duration_seconds`,
  by route, method and status class), exposed with the campaign's figures at `/metrics`
  (feedback/reporting/metrics.py). With several gunicorn workers set
  `PROMETHEUS_MULTIPROC_DIR` (deploy/): the workers then share their counts through files.
- **4xx without tracebacks.** Django logs a PermissionDenied (403) or a SuspiciousOperation
  (400) with the exception's traceback; `QuietClientErrorsFilter` keeps the one line and drops
  the traceback for every status below 500 (a 500 keeps it).
"""

import functools
import ipaddress
import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.utils.crypto import constant_time_compare
from django.utils.functional import empty
from prometheus_client import Counter, Histogram

from config.clientip import client_ip

_request_id: ContextVar[str] = ContextVar("request_id", default="")
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

request_logger = logging.getLogger("campaign.request")

REQUESTS = Counter(
    "http_requests_total", "HTTP requests answered, by route, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "http_request_duration_seconds", "Time to answer a request, by route.", ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str):
    """Set the id for the current context; returns the token for `reset_request_id`."""
    return _request_id.set(value)


def reset_request_id(token) -> None:
    _request_id.reset(token)


def valid_request_id(value: str | None) -> str:
    """`value` if it may be used as a request id, else a new one."""
    if value and _VALID_ID.match(value):
        return value
    return uuid.uuid4().hex


def route_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        # A page answered from the public page cache never reached the URL resolver.
        if cached := getattr(request, "cached_route", None):
            return cached
        return "unmatched"
    return match.view_name or match.route or "unnamed"


def user_id(request) -> int | None:
    """The signed-in user's id, without loading a session nobody loaded."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


# A metric's child per label set, looked up once (prometheus_client takes a lock each time);
# bounded, as a client can send any method.
@functools.lru_cache(maxsize=2048)
def _request_counter(route: str, method: str, status: int):
    return REQUESTS.labels(route, method, str(status))


@functools.lru_cache(maxsize=1024)
def _latency(route: str):
    return LATENCY.labels(route)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = valid_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        token = set_request_id(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - started
            response["X-Request-ID"] = request_id
            route = route_name(request)
            status = response.status_code
            _request_counter(route, request.method, status).inc()
            _latency(route).observe(duration)
            uid = user_id(request)
            request_logger.info(
                "%s %s %s %.1fms user=%s", request.method, route, status, duration * 1000,
                uid if uid is not None else "-",
                extra={"method": request.method, "route": route, "status": status,
                       "duration_ms": round(duration * 1000, 1), "user_id": uid},
            )
            return response
        finally:
            reset_request_id(token)


# --- Logging ------------------------------------------------------------------------------


class RequestIdFilter(logging.Filter):
    """Every record gets `request_id`: the request's or the task's, '-' outside both."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id() or "-"
        return True


class QuietClientErrorsFilter(logging.Filter):
    """A 4xx is logged as its one line: no traceback (a 403 is not an error of ours)."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True


# Fields of a record that go into its JSON line besides the standard ones; anything else a
# caller passes in `extra` (Django passes the request object) stays out.
JSON_FIELDS = ("method", "route", "status", "duration_ms", "user_id", "task", "task_id")


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for field in JSON_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


# --- Who may read /metrics ------------------------------------------------------------------


def metrics_allowed(request) -> bool:
    """A bearer token (CAMPAIGN_METRICS_TOKEN), or a client address in
    CAMPAIGN_METRICS_ALLOWED_IPS: the client as config.clientip sees it, so a visitor coming
    through nginx (whose own address is the loopback) is judged by his own address."""
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header.startswith("Bearer ") and constant_time_compare(header[7:], token):
        return True
    allowed = tuple(settings.METRICS_ALLOWED_IPS)
    if not allowed:
        return False
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in allowed)
