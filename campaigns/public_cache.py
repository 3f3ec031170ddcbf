"""Cache of the public pages an anonymous visitor reads (home, activities, wall, scoreboard).

A campaign page shared on social media gets its visitors in one burst; they all see the same
HTML. Pages are cached per language and URL under a *version* number; anything that changes
what they show (a place taken or freed, feedback moderated, staff editing an activity) bumps
the version after its transaction commits, so the next visitor gets a fresh page.

With Redis (REDIS_URL) the version is shared by every process and pages live for
PUBLIC_PAGE_CACHE_SECONDS. Without it each process has its own cache and cannot see another's
bump, so pages live only a few seconds there (PUBLIC_PAGE_CACHE_LOCAL_SECONDS).

A visitor with a session (signed in, or remembered by 我的报名) always gets a live page.
关怀版 and 标准版 are different pages of one URL (campaigns/care.py): the key holds the mode,
so one mode's page is never served to the other, and the responses say they vary by cookie.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from .care import care_mode
from .models import Activity, Campaign, OfficerQuota, Session, Theme, ThemeItem

VERSION_KEY = "public-pages:version"
MAX_PATH_LENGTH = 300  # longer URLs are not worth caching (and would let anyone fill it)


def _timeout() -> int:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS
        if settings.REDIS_URL
        else settings.PUBLIC_PAGE_CACHE_LOCAL_SECONDS
    )


def _version() -> int:
    return cache.get(VERSION_KEY) or 0


def bump() -> None:
    """Every cached public page is stale from now on."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): any new number will do
        cache.set(VERSION_KEY, 1, timeout=None)


def public_pages_changed() -> None:
    """Call inside a write's transaction: the pages refresh once it commits."""
    transaction.on_commit(bump)


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and len(request.get_full_path()) <= MAX_PATH_LENGTH
        and _timeout() > 0
    )


def cached_public_page(view):
    """Serve the view's 200 responses from the cache for visitors without a session."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        mode = "care" if care_mode(request) else "standard"
        key = f"public-pages:{_version()}:{get_language()}:{mode}:{path}"
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies and not response.streaming:
                cache.set(key, (response.content, response["Content-Type"]), _timeout())
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
