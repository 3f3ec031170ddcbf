"""Every page, error pages and the admin included, carries the security headers.

In-process tests run with the development settings (DEBUG on at import); the production-only
parts (HSTS, Secure cookies, the HTTPS redirect) are checked in a child process started with
production's environment.
"""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from campaigns.models import Activity
from tests.factories import SessionFactory, StaffFactory

from .conftest import PRODUCTION_HOST, run_python
from .inline_code import inline_code

pytestmark = pytest.mark.django_db

ONE_YEAR = 365 * 24 * 3600

EXPECTED_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
    "base-uri": {"'self'"},
    "object-src": {"'none'"},
}


def csp_directives(header: str) -> dict[str, set[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def pages(admin_login_url):
    return {
        "home": "/",
        "activity list": "/activities/",
        "admin login": admin_login_url,
        "404": "/no-such-page/",
    }


@pytest.fixture
def activity(db):
    return SessionFactory(city="北京").activity


@pytest.mark.parametrize("page", ["home", "activity list", "admin login", "404"])
def test_every_page_has_a_strict_content_security_policy(client, activity, page):
    response = client.get(pages(reverse("admin:login"))[page])
    assert response.status_code == (404 if page == "404" else 200)

    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    directives = csp_directives(header)
    for directive, sources in EXPECTED_CSP.items():
        assert directives[directive] == sources, directive


@pytest.mark.parametrize("page", ["home", "activity list", "admin login", "404"])
def test_every_page_forbids_sniffing_framing_referrers_and_device_features(
    client, activity, page
):
    response = client.get(pages(reverse("admin:login"))[page])

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in policy.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert features[feature] == "()", feature


def test_static_files_carry_the_headers_too(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"


def test_public_pages_contain_nothing_the_policy_would_block(client, demo_data):
    activity = Activity.objects.filter(is_published=True).first()
    urls = [
        "/",
        "/en/",
        "/activities/",
        activity.get_absolute_url(),
        reverse("campaigns:privacy"),
        "/no-such-page/",
        reverse("admin:login"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert inline_code(response.content.decode()) == [], url


def admin_urls(user):
    """The admin index and, for every registered model, its list, add and a change page."""
    request = RequestFactory().get("/")
    request.user = user
    yield reverse("admin:index")
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{prefix}_changelist")
        if model_admin.has_add_permission(request):
            yield reverse(f"{prefix}_add")
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            yield reverse(f"{prefix}_change", args=[obj.pk])


def test_every_admin_page_works_under_the_policy(client, demo_data):
    """The admin renders with no inline script or style the CSP would block."""
    user = StaffFactory()
    client.force_login(user)
    visited = 0
    for url in admin_urls(user):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert inline_code(response.content.decode()) == [], url
        visited += 1
    assert visited > 10


def test_inline_code_finder_notices_what_the_policy_blocks():
    page = (
        '<script src="/static/a.js"></script><script>alert(1)</script>'
        '<script id="d" type="application/json">{"a": 1}</script>'
        '<p style="color:red" onclick="x()">a</p><style>p{}</style>'
    )
    assert inline_code(page) == [
        "inline <script>: 'alert(1)'",
        "style attribute on <p>",
        "onclick handler on <p>",
        "<style> element",
    ]


PRODUCTION_PROBE = """
    import json

    import django
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    host = {host!r}
    User = get_user_model()
    User.objects.filter(username="probe-admin").delete()
    User.objects.create_superuser("probe-admin", password="probe-Passw0rd-long")

    def cookie(response, name):
        morsel = response.cookies[name]
        return {{
            "secure": bool(morsel["secure"]),
            "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"],
        }}

    client = Client(HTTP_HOST=host)
    plain = client.get("/")
    home = client.get("/", secure=True)
    healthz = client.get("/healthz")
    login_page = client.get(reverse("admin:login"), secure=True)
    login = client.post(
        reverse("admin:login"),
        {{"username": "probe-admin", "password": "probe-Passw0rd-long"}},
        secure=True,
    )
    print(json.dumps({{
        "settings": {{
            name: getattr(settings, name)
            for name in (
                "DEBUG", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
                "SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
                "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE",
                "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE", "LANGUAGE_COOKIE_SECURE",
                "LANGUAGE_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SAMESITE",
            )
        }},
        "plain": [plain.status_code, plain.get("Location")],
        "home": [home.status_code, home.get("Strict-Transport-Security")],
        "home_csp": home.get("Content-Security-Policy"),
        "healthz": healthz.status_code,
        "login_page": login_page.status_code,
        "login": login.status_code,
        "csrf_cookie": cookie(login_page, settings.CSRF_COOKIE_NAME),
        "session_cookie": cookie(login, settings.SESSION_COOKIE_NAME),
    }}))
"""


@pytest.fixture(scope="module")
def production(production_env):
    return run_python(PRODUCTION_PROBE.format(host=PRODUCTION_HOST), production_env())


def test_production_sends_hsts_for_at_least_a_year(production):
    status, hsts = production["home"]
    assert status == 200
    directives = [part.strip() for part in hsts.split(";")]
    max_age = int(directives[0].removeprefix("max-age="))
    assert max_age >= ONE_YEAR
    assert "includeSubDomains" in directives and "preload" in directives
    assert production["settings"]["SECURE_HSTS_SECONDS"] >= ONE_YEAR
    assert production["settings"]["DEBUG"] is False


def test_production_redirects_plain_http_to_https_except_the_health_check(production):
    assert production["plain"] == [301, f"https://{PRODUCTION_HOST}/"]
    assert production["healthz"] == 200


def test_production_keeps_the_strict_policy(production):
    assert "unsafe-inline" not in production["home_csp"]
    assert csp_directives(production["home_csp"])["script-src"] == {"'self'"}


def test_production_cookies_are_secure_httponly_and_samesite(production):
    settings = production["settings"]
    for prefix in ("SESSION", "CSRF", "LANGUAGE"):
        assert settings[f"{prefix}_COOKIE_SECURE"] is True, prefix
        assert settings[f"{prefix}_COOKIE_HTTPONLY"] is True, prefix
        assert settings[f"{prefix}_COOKIE_SAMESITE"] == "Lax", prefix

    assert production["login_page"] == 200
    assert production["login"] == 302, "the probe admin could not log in"
    for name in ("csrf_cookie", "session_cookie"):
        assert production[name] == {"secure": True, "httponly": True, "samesite": "Lax"}, name
