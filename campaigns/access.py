"""Who may do what on staff pages: the one home of the staff access rules.

Staff pages need a logged-in staff user (else the login page) holding at least one of the
page's permissions (else 403); superusers hold them all. Personal data (names, numbers,
emails, free text unmasked) needs `campaigns.view_personal_data` on top.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

VIEW_PERSONAL_DATA = "campaigns.view_personal_data"


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
