"""Project-wide middleware: security headers Django has no setting for, and the 503 page."""

import logging

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# The exceptions that mean "the database did not answer", not "our query is wrong".
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

# Seconds a client (or a proxy) is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header built from settings.PERMISSIONS_POLICY."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy built once.

    django-csp builds the header string for every response (an eighth of the time a cached
    page costs). Without a nonce and without a view's own policy, it is always the same
    string, built from settings; anything else goes through django-csp as usual.
    """

    _VIEW_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")

    def __init__(self, get_response):
        super().__init__(get_response)
        self.policy = build_policy()

    def process_response(self, request, response):
        if (
            not (settings.DEBUG and response.status_code in (404, 500))  # Django's debug pages
            and getattr(request, "_csp_nonce", None) is None
            and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            and not any(hasattr(response, name) for name in self._VIEW_POLICY)
        ):
            if CSP_HEADER not in response:
                response[CSP_HEADER] = self.policy
            return response
        return super().process_response(request, response)


def is_database_unavailable(exc: BaseException | None) -> bool:
    """True for a database error or one raised while handling it (e.g. wrapped by a library)."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, DATABASE_UNAVAILABLE):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def database_unavailable_response(request) -> HttpResponse:
    """The site's 503 page, rendered without context processors so it needs no database.

    The messages and auth context processors would read the session, which lives in the
    database; the template gets only what base.html needs.
    """
    context = {"request": request, "csrf_token": get_token(request)}
    content = loader.get_template("503.html").render(context)
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Answers 503 with the error page when a view finds the database unreachable.

    Errors outside views (other middleware) reach handler500, which does the same in
    production (config.views.server_error).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        # The class name only: driver messages can quote the data of the failed statement.
        logger.error(
            "Database unavailable (%s) during %s %s",
            type(exception).__name__,
            request.method,
            request.path,
        )
        return database_unavailable_response(request)
