"""Cache of the public pages an anonymous visitor reads (home, activities, wall, scoreboard).

A campaign page shared on social media gets its visitors in one burst; they all see the same
HTML. `PublicPageCacheMiddleware` answers them from the cache *before* every middleware such a
visitor does not need: it sits just inside the request log, above the security headers,
static files, compression, sessions, locale, CSRF, authentication, messages and django-axes.
Only responses of views marked `@cached_public_page` are stored, as they left that stack:
with every header it gave them (security headers, Content-Language, Vary) and compressed
when the visitor accepts gzip. So the key holds what those headers depend on: https or not
(HSTS) and gzip or not. A request the security middleware would redirect to https is never
answered from the cache. A compressed page is stored once, with one BREACH padding: these
pages carry no secret (no CSRF token, nothing personal), which is what the padding protects.

Anything that changes what the pages show (a place taken or freed, feedback moderated, staff
editing an activity) bumps a *version* after its transaction commits. Every stored page carries
the version it was rendered under, read before rendering, and is served only while that is still
the current version: a page rendered while a write committed is never served. Each process
keeps its last copy of each page (`LOCAL_PAGES`, a few hundred at most) and of the version,
which Redis tells it of the moment it changes (client-side caching, config.cache.KeyWatch): a
request usually reaches no other process at all, and a page crosses the network once per
version and process.

With Redis (REDIS_URL) the version is shared by every process and pages live for
PUBLIC_PAGE_CACHE_SECONDS. Without it each process has its own cache and cannot see another's
bump, so pages live only a few seconds there (PUBLIC_PAGE_CACHE_LOCAL_SECONDS).

A visitor with a session (signed in, or remembered by 我的报名) always gets a live page.
关怀版 and 标准版 are different pages of one URL (campaigns/care.py): the key holds the mode,
so one mode's page is never served to the other, and the responses say they vary by cookie.
The language is part of the URL (`/en/…`), so the path keys it.
"""

import hashlib
import re
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from .care import care_mode
from .models import Activity, Campaign, OfficerQuota, Session, Theme, ThemeItem

VERSION_KEY = "public-pages:version"
MAX_PATH_LENGTH = 300  # longer URLs are not worth caching (and would let anyone fill it)
LOCAL_PAGES = 256  # pages a process keeps a copy of (about 40 KB each)
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as django.middleware.gzip decides


def _timeout() -> int:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS
        if settings.REDIS_URL
        else settings.PUBLIC_PAGE_CACHE_LOCAL_SECONDS
    )


def _new_version() -> int:
    # A lost version (evicted, Redis restarted) restarts from the clock, never from a number
    # that pages still in the cache were stored under.
    return time.time_ns()


def bump() -> None:
    """Every cached public page is stale from now on."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted)
        cache.set(VERSION_KEY, _new_version(), timeout=None)


def public_pages_changed() -> None:
    """Call inside a write's transaction: the pages refresh once it commits."""
    transaction.on_commit(bump)


def _cache_key(request) -> str | None:
    """The page's key if this request may be answered from the cache, else None."""
    if (
        request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
        or _timeout() <= 0
    ):
        return None
    secure = request.is_secure()
    if settings.SECURE_SSL_REDIRECT and not secure:
        return None  # SecurityMiddleware answers it with a redirect to https
    path = request.get_full_path()
    if len(path) > MAX_PATH_LENGTH:
        return None
    variant = "".join((
        "c" if care_mode(request) else "s",
        "h" if secure else "p",
        "g" if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else "i",
    ))
    return f"public-pages:{variant}:{hashlib.sha256(path.encode()).hexdigest()[:32]}"


def _current_version() -> int:
    # With Redis, the version is watched: read from this process's copy, which Redis
    # invalidates the moment any process bumps it (config.cache.KeyWatch), so a hit costs
    # no round trip and a bump still shows at once.
    read = getattr(cache, "watched_get", cache.get)
    version = read(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        version = read(VERSION_KEY, 0)
    return version


class LocalPages:
    """This process's last copy of each page, by key, least recently stored dropped first.

    A copy is served under the same rules as the shared entry: its version is current and it
    is younger than the cache timeout (the 48-hour figures change with the clock alone)."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, tuple] = OrderedDict()

    def get(self, key: str, version: int) -> tuple | None:
        entry = self.entries.get(key)
        if entry is None or not self.valid(entry, version):
            entry = cache.get(key)
            if entry is None or not self.valid(entry, version):
                return None
            self.keep(key, entry)
        return entry

    @staticmethod
    def valid(entry: tuple, version: int) -> bool:
        return entry[0] == version and time.time() - entry[1] < _timeout()

    def keep(self, key: str, entry: tuple) -> None:
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.pages = LocalPages(LOCAL_PAGES)

    def __call__(self, request):
        key = _cache_key(request)
        if key is None:
            return self.get_response(request)
        version = _current_version()
        entry = self.pages.get(key, version)
        if entry is not None:
            _, _, route, headers, content = entry
            request.cached_route = route  # for the request log (config/observability.py)
            response = HttpResponse(content)
            # Checked and encoded when the page was stored: copied as they are, which saves
            # a third of what building the answer costs (HttpResponse re-checks each one).
            response.headers._store.update(headers)
            return response
        response = self.get_response(request)
        if (
            getattr(response, "public_page", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        ):
            route = request.resolver_match.view_name if request.resolver_match else ""
            headers = dict(response.headers._store)
            entry = (version, time.time(), route, headers, response.content)
            cache.set(key, entry, _timeout())
            self.pages.keep(key, entry)
        return response


def cached_public_page(view):
    """Let PublicPageCacheMiddleware keep the view's responses to visitors without a session."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_page = True
        patch_vary_headers(response, ("Cookie",))  # the mode is a cookie
        return response

    return wrapper


def _content_changed(sender, **kwargs):
    public_pages_changed()


def connect_content_signals() -> None:
    """Staff edits in the admin (activities, sessions, themes…) refresh the public pages."""

    for model in (Campaign, Theme, ThemeItem, Activity, Session, OfficerQuota):
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"public-{model.__name__}")
        post_delete.connect(
            _content_changed, sender=model, dispatch_uid=f"public-del-{model.__name__}"
        )
    m2m_changed.connect(
        _content_changed, sender=Activity.themes.through, dispatch_uid="public-activity-themes"
    )
