"""The reference codes a visitor has proven on this device, kept in a signed cookie.

After signing up or looking a signup up (phone + code, or the email link), the browser may
open that signup's page again without asking. A signed cookie rather than a server session:
nothing is written to the database on the busiest request there is (a signup during a burst),
and the cookie cannot be forged to reach someone else's signup (it is signed with the secret
key and only ever holds codes this browser proved).
"""

from django.conf import settings

# The cookie of the signup and application references this browser proved.
REFS_COOKIE = "yzfw_refs"
MAX_REMEMBERED = 20
MAX_AGE = 30 * 24 * 3600


def remembered(request, cookie: str) -> list[str]:
    value = request.get_signed_cookie(cookie, default="", salt=cookie, max_age=MAX_AGE)
    return [code for code in value.split(",") if code]


def remember(response, request, cookie: str, reference: str):
    """Put `reference` first in the cookie (on the response) and return the response."""
    codes = [reference, *(c for c in remembered(request, cookie) if c != reference)]
    return _store(response, cookie, codes[:MAX_REMEMBERED])


def forget(response, request, cookie: str, reference: str):
    codes = [c for c in remembered(request, cookie) if c != reference]
    return _store(response, cookie, codes)


def _store(response, cookie: str, codes: list[str]):
    response.set_signed_cookie(
        cookie,
        ",".join(codes),
        salt=cookie,
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
