"""Who may do what on staff pages: the one home of the staff access rules.

Staff pages need a logged-in staff user (else the login page) holding at least one of the
page's permissions (else 403); superusers hold them all. Personal data (names, numbers,
emails, free text unmasked) needs `campaigns.view_personal_data` on top.

Staff who may view or export personal data, and superusers, must also have passed a second
factor (TOTP or a recovery code, django-otp) in this session before any staff page or the
admin opens (`StaffSessionMiddleware`, setting STAFF_SECOND_FACTOR); every staff session
ends after STAFF_IDLE_MINUTES without a request.
"""

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

VIEW_PERSONAL_DATA = "campaigns.view_personal_data"
EXPORT_REPORTS = "feedback.export_reports"


def is_staff_with(user, *permissions: str) -> bool:
    return bool(
        user and user.is_authenticated and user.is_staff
        and any(user.has_perm(p) for p in permissions)
    )


def can_view_personal_data(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(VIEW_PERSONAL_DATA))


def staff_permission_required(*permissions: str):
    """Decorate a staff view: the login page for anonymous users, 403 without a permission."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_staff_with(request.user, *permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def needs_second_factor(user) -> bool:
    """Administrators of personal information: whoever may see it unmasked or export it."""
    return bool(
        user.is_authenticated and user.is_staff
        and (user.is_superuser or user.has_perm(VIEW_PERSONAL_DATA)
             or user.has_perm(EXPORT_REPORTS))
    )


def _staff_area(path: str) -> bool:
    """The admin and the staff pages, in either language."""
    path = path.removeprefix("/en")
    return path.startswith(("/staff/", "/" + settings.ADMIN_PATH.lstrip("/")))


LAST_SEEN = "staff_last_seen"  # session key: when this staff session last made a request
# The last-seen time is written at most this often, so a session is saved once a minute at
# most, not on every request; the idle limit is exact to within this.
LAST_SEEN_EVERY = 60


def stamp_staff_login(sender, request, user, **kwargs):
    """user_logged_in: a staff session starts its idle clock."""
    if user.is_staff and request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


def _idle_out(request) -> bool:
    """Log a staff session out after STAFF_IDLE_MINUTES without a request; True if it was."""
    now, last = int(time.time()), request.session.get(LAST_SEEN)
    if last is not None and now - last > settings.STAFF_IDLE_MINUTES * 60:
        logout(request)
        return True
    if last is None or now - last >= LAST_SEEN_EVERY:
        request.session[LAST_SEEN] = now
    return False


class StaffSessionMiddleware:
    """Staff sessions end when idle; the staff area asks for the second factor first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        staff = user is not None and user.is_authenticated and user.is_staff
        if staff and not _idle_out(request) and self._must_verify(request, user):
            target = reverse("campaigns:second_factor")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _must_verify(request, user) -> bool:
        path = request.path_info
        allowed = (reverse("campaigns:second_factor"), reverse("campaigns:second_factor_setup"),
                   reverse("admin:logout"))
        return (
            settings.STAFF_SECOND_FACTOR
            and _staff_area(path)
            and path not in allowed
            and needs_second_factor(user)
            and not user.is_verified()
        )
