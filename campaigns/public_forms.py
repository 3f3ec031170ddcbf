"""The sequence every public form post follows, in one place.

("获取验证码" pressed: send a code to the form's number, show the form again as typed) →
validate (the SMS code included) → count the post against the rate limits (by IP, and by the
phone once the form knows it) → call the service with `form.service_kwargs()` → on a refusal
show the domain error on the form (nothing typed is lost) → on success return the caller's
response.
"""

from collections.abc import Callable

from django.http import HttpResponse

from .ratelimit import limit_form_post
from .services.errors import DomainError, attach_error
from .verification import SEND_CODE


def submit_public_form(
    request,
    form,
    *,
    scope: str,
    service: Callable[..., object],
    on_success: Callable[[object], HttpResponse],
) -> HttpResponse | None:
    """Run a POSTed public form; the 429 page when over a limit, `on_success(result)` when
    the service accepted it, None when the form (now with its errors) is to be shown again.

    "获取验证码" (campaigns.verification) posts the same form: a code is sent to its number
    and the form comes back as typed, None too."""
    if SEND_CODE in request.POST and getattr(form, "code_field", None) is not None:
        form.send_code()
        return None
    valid = form.is_valid()
    if limited := limit_form_post(request, scope, form):
        return limited
    if valid:
        try:
            result = service(**form.service_kwargs())
        except DomainError as error:
            attach_error(form, error)
        else:
            return on_success(result)
    if keep := getattr(form, "keep_verification", None):
        keep()
    return None
