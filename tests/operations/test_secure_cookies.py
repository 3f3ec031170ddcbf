"""DJANGO_SECURE_COOKIES: on by default; off, a plain-http staging host's forms work; and
`check --deploy` refuses it in production."""

import pytest

from tests.security.conftest import manage, production_environment, run_python

# A plain-http staging host: no redirect to HTTPS, no HSTS.
STAGING = {"DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_HSTS_SECONDS": "0"}

FORM_OVER_HTTP = """
import json, re, django
django.setup()
from django.test import Client
from django.conf import settings
client = Client(enforce_csrf_checks=True, HTTP_HOST="example.com")
page = client.get("/feedback/new/")
cookie = page.cookies["csrftoken"]
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
# A browser on http:// sends a Secure cookie back only over https: simulate that.
if cookie["secure"]:
    client.cookies.pop("csrftoken")
posted = client.post("/feedback/new/", {"csrfmiddlewaretoken": token})
print(json.dumps({
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "cookie_secure": bool(cookie["secure"]),
    "post_status": posted.status_code,
}))
"""


@pytest.mark.parametrize(
    ("value", "secure", "post_status"),
    [(None, True, 403), ("1", True, 403), ("0", False, 200)],
    ids=["default", "on", "off"],
)
def test_cookies_are_https_only_unless_switched_off_for_staging(
    production_env, value, secure, post_status
):
    env = production_env(**STAGING, DJANGO_SECURE_COOKIES=value)
    result = run_python(FORM_OVER_HTTP, env)
    assert result == {"session_secure": secure, "csrf_secure": secure,
                      "cookie_secure": secure, "post_status": post_status}


def test_check_deploy_refuses_insecure_cookies_in_production():
    result = manage("check", "--deploy",
                    env=production_environment(DJANGO_SECURE_COOKIES="0"))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "operations.E001" in output and "DJANGO_SECURE_COOKIES" in output
