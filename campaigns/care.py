"""关怀版: the site for older customers, as China's age-friendly web guidelines ask
(《互联网网站适老化通用设计规范》): main text of at least 18 px, larger tap targets, stronger
contrast, a plainer single-column layout and no time pressure.

The visitor's choice lives in a cookie (no account, no session): the page puts `care` on
<html>, and the `.care` rules of static/css/site.css do the rest. The public page cache keys
its pages by the mode (campaigns/public_cache.py), so one mode's page is never served to the
other.
"""

from django.conf import settings

CARE_COOKIE = "yzfw_care"
CARE_MAX_AGE = 365 * 24 * 3600
MODES = {"on": True, "off": False}  # the switch's URL: /care/on/, /care/off/


def care_mode(request) -> bool:
    """Whether this visitor chose 关怀版."""
    return request.COOKIES.get(CARE_COOKIE) == "1"


def remember_mode(response, *, care: bool):
    """Keep the choice on this device for a year (or forget it: 标准版 is the default)."""
    if care:
        response.set_cookie(
            CARE_COOKIE,
            "1",
            max_age=CARE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(CARE_COOKIE, samesite="Lax")
    return response
