"""Guessing an admin password: five failures lock that username from that address for a while."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import StaffFactory

from .conftest import PRODUCTION_HOST, run_python

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory
ATTACKER = "203.0.113.7"
COLLEAGUE = "198.51.100.20"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Dozens of logins per test: the production hasher's slowness is not what is tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def moderator(db):
    return StaffFactory(username="moderator")


def log_in(client, password, *, username="moderator", ip=ATTACKER, language_prefix="", **extra):
    with translation.override(settings.LANGUAGE_CODE):  # unprefixed (Chinese) URLs
        login_url, next_url = reverse("admin:login"), reverse("admin:index")
    return client.post(
        language_prefix + login_url,
        {"username": username, "password": password, "next": next_url},
        REMOTE_ADDR=ip,
        **extra,
    )


def is_logged_in(client):
    return "_auth_user_id" in client.session


def fail_five_times(client, **kwargs):
    responses = [log_in(client, "wrong-password", **kwargs) for _ in range(5)]
    assert [r.status_code for r in responses[:4]] == [200] * 4  # the form, with its error
    return responses[-1]


def test_sixth_attempt_is_refused_even_with_the_right_password(client, moderator):
    fifth = fail_five_times(client)
    assert fifth.status_code == 429

    sixth = log_in(client, PASSWORD)

    assert sixth.status_code == 429
    assert not is_logged_in(client)
    attempt = AccessAttempt.objects.get(username="moderator", ip_address=ATTACKER)
    assert attempt.failures_since_start >= 5
    assert "wrong-password" not in attempt.post_data and PASSWORD not in attempt.post_data


def test_four_failures_do_not_lock_out(client, moderator):
    for _ in range(4):
        assert log_in(client, "wrong-password").status_code == 200

    response = log_in(client, PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_lockout_page_is_the_sites_page_in_chinese_without_the_username(client, moderator):
    fail_five_times(client)
    response = log_in(client, PASSWORD)
    page = response.content.decode()

    assert response.status_code == 429
    assert "登录已暂时锁定" in page
    assert "请 30 分钟后再试" in page
    assert 'class="site-header"' in page  # extends base.html
    assert "moderator" not in page
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_lockout_page_in_english(client, moderator):
    fail_five_times(client, language_prefix="/en")
    response = log_in(client, PASSWORD, language_prefix="/en")
    page = response.content.decode()

    assert response.status_code == 429
    assert 'lang="en"' in page
    assert "Sign-in temporarily locked" in page
    assert "30 minutes" in page


def test_same_username_from_another_address_can_still_log_in(client, moderator):
    fail_five_times(client, ip=ATTACKER)

    response = log_in(client, PASSWORD, ip=COLLEAGUE)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_another_username_from_the_locked_address_is_not_locked(client, moderator):
    StaffFactory(username="reviewer")
    fail_five_times(client)

    response = log_in(client, PASSWORD, username="reviewer")

    assert response.status_code == 302


def test_lockout_ends_after_the_cool_off(client, moderator):
    fail_five_times(client)
    # Let the clock pass: the failures happened 31 minutes ago.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))

    response = log_in(client, PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_successful_login_forgets_earlier_failures(client, moderator):
    for _ in range(4):
        log_in(client, "wrong-password")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        assert log_in(client, "wrong-password").status_code == 200
    assert log_in(client, PASSWORD).status_code == 302


@override_settings(TRUSTED_PROXIES=["10.0.0.2"])
def test_behind_a_proxy_the_lockout_follows_the_forwarded_client_address(client, moderator):
    proxy = {"ip": "10.0.0.2"}
    fail_five_times(client, HTTP_X_FORWARDED_FOR=ATTACKER, **proxy)

    # A forged left-most entry does not change who the proxy saw.
    spoofed = log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR=f"{COLLEAGUE}, {ATTACKER}", **proxy)
    assert spoofed.status_code == 429

    colleague = log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR=COLLEAGUE, **proxy)
    assert colleague.status_code == 302


ADMIN_PATH_PROBE = """
    import json

    import django
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_HOST={host!r})
    print(json.dumps({{
        "setting": settings.ADMIN_PATH,
        "login_url": reverse("admin:login"),
        "configured": client.get("/staff-7f3a/login/", secure=True).status_code,
        "english": client.get("/en/staff-7f3a/login/", secure=True).status_code,
        "default": client.get("/admin/login/", secure=True).status_code,
    }}))
"""


def test_admin_answers_only_at_the_configured_path(production_env):
    result = run_python(
        ADMIN_PATH_PROBE.format(host=PRODUCTION_HOST),
        production_env(DJANGO_ADMIN_PATH="/staff-7f3a/"),
    )

    assert result == {
        "setting": "staff-7f3a/",
        "login_url": "/staff-7f3a/login/",
        "configured": 200,
        "english": 200,
        "default": 404,
    }
