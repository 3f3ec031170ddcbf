"""One trust setting: X-Forwarded-Proto and X-Forwarded-For count only from DJANGO_TRUSTED_PROXIES.

gunicorn (forwarded_allow_ips), Django (SECURE_PROXY_SSL_HEADER) and the client-address
helper (rate limits, admin lockout) follow the same variable: unset, a client that claims
HTTPS or another address is believed by none of them; set, only the listed proxy is.
"""

import http.client
import subprocess
import sys
import time

import pytest
from django.test import RequestFactory, override_settings

from config.clientip import ForwardedHeadersMiddleware, client_ip
from tests.security.conftest import (
    BASE_DIR,
    PRODUCTION_HOST,
    free_port,
    manage,
    production_environment,
    stop_gunicorn,
)

FORGED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "6.6.6.6"}


def seen_by_django(remote_addr, **headers):
    """(is_secure, client address) as a view behind the middleware sees them."""
    captured = {}

    def view(request):
        captured["secure"] = request.is_secure()
        captured["ip"] = client_ip(request)
        captured["proto"] = request.META.get("HTTP_X_FORWARDED_PROTO")

    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)
    ForwardedHeadersMiddleware(view)(request)
    return captured


def test_without_trusted_proxies_forwarded_headers_are_ignored():
    headers = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}
    with override_settings(TRUSTED_PROXIES=[], SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO",
                                                                         "https")):
        seen = seen_by_django("127.0.0.1", **headers)
    assert seen == {"secure": False, "ip": "127.0.0.1", "proto": None}


def test_a_client_that_is_not_the_proxy_cannot_claim_https_or_an_address():
    headers = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}
    with override_settings(TRUSTED_PROXIES=["127.0.0.1"],
                           SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        direct = seen_by_django("203.0.113.9", **headers)
        proxied = seen_by_django("127.0.0.1", **headers)
    assert direct == {"secure": False, "ip": "203.0.113.9", "proto": None}
    assert proxied == {"secure": True, "ip": "6.6.6.6", "proto": "https"}


@pytest.mark.parametrize(("trusted", "expected"), [("", None), ("127.0.0.1,::1", "https")])
def test_django_believes_the_proto_header_only_with_trusted_proxies(trusted, expected):
    result = manage("shell", "-c", "from django.conf import settings;"
                    "print((settings.SECURE_PROXY_SSL_HEADER or (None, None))[1])",
                    env=production_environment(DJANGO_TRUSTED_PROXIES=trusted))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(expected)


def test_the_replaced_variables_stop_the_site_with_a_pointer_to_the_new_one():
    for name, value in [("DJANGO_SECURE_PROXY_SSL_HEADER", "1"),
                        ("DJANGO_TRUSTED_PROXY_COUNT", "1"),
                        ("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")]:
        result = manage("check", env=production_environment(**{name: value}))
        assert result.returncode != 0
        assert "DJANGO_TRUSTED_PROXIES" in result.stderr


def gunicorn(env):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=BASE_DIR, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz", headers={"Host": PRODUCTION_HOST})
            connection.getresponse().read()
            return process, port
        except OSError:
            assert process.poll() is None, "gunicorn exited"
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)


def get(port, path, headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": PRODUCTION_HOST, **headers})
    response = connection.getresponse()
    response.read()
    return response.status, response.getheader("Location")


@pytest.mark.parametrize(("trusted", "expected"), [("", 301), ("127.0.0.1,::1", 200)],
                         ids=["no proxy trusted", "loopback proxy trusted"])
def test_gunicorn_and_django_agree_on_a_claimed_https(production_env, trusted, expected):
    """gunicorn's own default trusts 127.0.0.1; here it follows DJANGO_TRUSTED_PROXIES.

    From the loopback, `X-Forwarded-Proto: https` is believed only when the loopback is a
    trusted proxy; otherwise the page redirects to https as for any plain-http visitor."""
    process, port = gunicorn(production_env(DJANGO_TRUSTED_PROXIES=trusted))
    try:
        status, location = get(port, "/privacy/", FORGED)
        assert status == expected, location
        if expected == 301:
            assert location == f"https://{PRODUCTION_HOST}/privacy/"
    finally:
        stop_gunicorn(process)
