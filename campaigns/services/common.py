from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Activity, OfficerApplication, Signup
from ..privacy import current_notice
from ..refcodes import code_in_use, generate_code, generate_secret
from .errors import NotBookable


def new_reference() -> str:
    """A short code not used by any signup or application (the lookup page searches both)."""
    while True:
        code = generate_code()
        if not code_in_use(code, Signup, OfficerApplication):
            return code


def personal_fields(*, name: str, phone: str, email: str, language: str, now) -> tuple[dict, str]:
    """The common columns of a new signup/application, and the link token (not stored)."""
    token, secret_hash = generate_secret()
    fields = {
        "reference": new_reference(),
        "secret_hash": secret_hash,
        "name": name,
        "phone": phone,
        "email": email or "",
        "language": language or "zh-hans",
        "consent_at": now,
        "privacy_version": current_notice().version,
        "created_at": now,
    }
    return fields, token


def check_window(activity: Activity, now) -> None:
    if not activity.is_published:
        raise NotBookable(_("该活动未开放报名。"), code="unpublished")
    state = activity.signup_window_state(now)
    if state == "not_open":
        opens = timezone.localtime(activity.signup_opens_at).strftime("%Y-%m-%d %H:%M")
        raise NotBookable(
            _("报名尚未开始，开始时间：%(opens)s。") % {"opens": opens}, code="not_open"
        )
    if state == "closed":
        raise NotBookable(_("报名已截止。"), code="closed")
