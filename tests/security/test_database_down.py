"""When PostgreSQL stops answering, visitors get the site's 503 page, never a traceback.

The site runs for real: gunicorn with production's settings, pointed at a port where nothing
listens, answering requests on the loopback.
"""

import http.client
import re
import subprocess
import sys
import time

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from config.middleware import database_unavailable_response
from config.views import server_error

from .conftest import BASE_DIR, DEAD_POSTGRES_URL, PRODUCTION_HOST, free_port


class Site:
    def __init__(self, port: int, log_path):
        self.port = port
        self.log_path = log_path

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        all_headers = {"Host": PRODUCTION_HOST, "X-Forwarded-Proto": "https", **(headers or {})}
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        text = response.read().decode()
        connection.close()
        return response, text

    def log(self) -> str:
        return self.log_path.read_text()


@pytest.fixture(scope="module")
def site_without_database(production_env, tmp_path_factory):
    port = free_port()
    log_path = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    env = production_env(
        DATABASE_URL=DEAD_POSTGRES_URL,
        DJANGO_TRUSTED_PROXIES="127.0.0.1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
    )
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"),
                # No control socket in $HOME shared with other gunicorns on this machine.
                "--no-control-socket",
                "config.wsgi",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        site = Site(port, log_path)
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"gunicorn exited:\n{site.log()}"
            try:
                site.request("GET", "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, f"gunicorn did not start:\n{site.log()}"
                time.sleep(0.2)
        yield site
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.mark.parametrize("path", ["/", "/activities/"])
def test_pages_answer_503_with_the_sites_error_page(site_without_database, path):
    response, page = site_without_database.request("GET", path)

    assert response.status == 503
    assert "系统暂时繁忙" in page and "请稍后刷新页面再试" in page
    assert 'class="site-header"' in page  # the site's own layout
    assert "Traceback" not in page and "OperationalError" not in page
    assert response.getheader("Retry-After") == "30"
    assert "no-cache" in response.getheader("Cache-Control")
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")


def test_english_visitors_get_the_english_503_page(site_without_database):
    response, page = site_without_database.request("GET", "/en/activities/")

    assert response.status == 503
    assert 'lang="en"' in page
    assert "temporarily busy" in page


def test_readiness_check_answers_503_while_the_process_stays_alive(site_without_database):
    response, text = site_without_database.request("GET", "/readyz")
    assert response.status == 503
    assert text == "database unavailable\n"
    # Liveness does not touch the database: restarting gunicorn would not bring it back.
    assert site_without_database.request("GET", "/healthz")[0].status == 200


def test_admin_login_attempt_answers_503(site_without_database):
    """The login page needs no database; checking a password (and the lockout) does."""
    response, page = site_without_database.request("GET", "/admin/login/")
    assert response.status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)

    response, page = site_without_database.request(
        "POST",
        "/admin/login/",
        body=f"csrfmiddlewaretoken={token}&username=moderator&password=secret",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Referer": f"https://{PRODUCTION_HOST}/admin/login/",
            "Origin": f"https://{PRODUCTION_HOST}",
        },
    )

    assert response.status == 503
    assert "系统暂时繁忙" in page


def test_the_outage_is_logged_without_a_traceback(site_without_database):
    site_without_database.request("GET", "/")

    log = site_without_database.log()
    assert "Database unavailable (OperationalError) during GET /" in log
    assert "Traceback" not in log


def test_a_database_error_outside_a_view_is_a_503_too():
    """No `db` fixture: pytest-django fails the test if rendering the page queries."""
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)

    assert response.status_code == 503
    assert "系统暂时繁忙" in response.content.decode()


def counting_context_processor(request):
    """A context processor that queries, as a staff badge or a counter might one day."""
    from django.contrib.auth import get_user_model

    return {"users": get_user_model().objects.count()}


def test_the_503_page_runs_no_context_processor(settings):
    """No `db` fixture: the processor's query would fail the test if the page ran it."""
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    f"{__name__}.counting_context_processor",
                ]
            },
        }
    ]
    request = RequestFactory().get("/")

    response = database_unavailable_response(request)

    assert response.status_code == 503
    assert "系统暂时繁忙" in response.content.decode()


def test_other_errors_stay_500():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)

    assert response.status_code == 500
