"""The Content-Security-Policy header: the policy of the settings on every page, built once,
and a view's own policy (django-csp's decorators) or a nonce still honoured."""

import pytest
from csp.constants import NONCE
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory

from config.middleware import ContentSecurityPolicyMiddleware

pytestmark = pytest.mark.django_db


def through_middleware(response, *, nonce=False):
    request = RequestFactory().get("/")
    middleware = ContentSecurityPolicyMiddleware(lambda request: response)
    middleware.process_request(request)
    if nonce:
        str(request.csp_nonce)  # a template asked for one
    return request, middleware.process_response(request, response)


@pytest.mark.parametrize("path", ["/", "/en/", "/activities/", "/feedback/new/", "/nope/"])
def test_every_page_has_the_policy_of_the_settings(client, path):
    header = client.get(path)["Content-Security-Policy"]
    assert header == build_policy()
    assert "script-src 'self'" in header and "'unsafe-inline'" not in header


def test_a_views_own_policy_is_honoured():
    response = HttpResponse("x")
    response._csp_update = {"img-src": ["https://maps.example"]}
    _, response = through_middleware(response)
    assert "img-src 'self' data: https://maps.example" in response["Content-Security-Policy"]


def test_a_nonce_reaches_the_header(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    request, response = through_middleware(HttpResponse("x"), nonce=True)
    assert f"'nonce-{request._csp_nonce}'" in response["Content-Security-Policy"]


def test_an_exempt_view_gets_no_header():
    response = HttpResponse("x")
    response._csp_exempt = True
    _, response = through_middleware(response)
    assert "Content-Security-Policy" not in response


def test_djangos_debug_pages_keep_their_inline_styles(settings):
    """As django-csp does: with DEBUG, a 404 or 500 is Django's technical page, styled inline."""
    settings.DEBUG = True
    _, response = through_middleware(HttpResponse("x", status=404))
    assert "Content-Security-Policy" not in response
