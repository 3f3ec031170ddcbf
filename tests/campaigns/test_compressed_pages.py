"""Pages travel compressed to a browser that accepts gzip (GZipMiddleware), each compressed
stream padded differently (Django's BREACH mitigation), and plain to one that does not."""

import functools
import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

from campaigns.care import CARE_COOKIE
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return SessionFactory(capacity=10, activity__title="探秘5G网络大脑")


@pytest.mark.parametrize("url", ["/", "/activities/", "/feedback/new/", "/en/"])
def test_a_public_page_is_sent_gzipped(client, session, url):
    plain = client.get(url)
    compressed = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert int(compressed["Content-Length"]) < len(plain.content) / 2
    html = gzip.decompress(compressed.content).decode()
    assert html.startswith("<!doctype html>") and html.endswith("</html>\n")
    assert "Content-Encoding" not in plain


def test_a_cached_page_is_compressed_too_in_both_modes(client, session, settings):
    settings.PUBLIC_PAGE_CACHE_LOCAL_SECONDS = 60
    url = session.activity.get_absolute_url()
    for care in ("", "1", "", "1"):  # the second round comes from the page cache
        client.cookies[CARE_COOKIE] = care
        response = client.get(url, headers={"accept-encoding": "gzip"})
        assert response["Content-Encoding"] == "gzip"
        assert ('class="care"' in gzip.decompress(response.content).decode()) == bool(care)


def test_each_response_is_padded_differently(client, session):
    lengths = {
        len(client.get("/activities/", headers={"accept-encoding": "gzip"}).content)
        for _ in range(8)
    }
    assert len(lengths) > 1


def test_a_proxy_that_compresses_can_have_django_leave_it():
    """DJANGO_GZIP=0: no GZipMiddleware (nginx compresses instead)."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print('django.middleware.gzip.GZipMiddleware' in settings.MIDDLEWARE)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1"}
    run = functools.partial(
        subprocess.run,
        [sys.executable, "-c", code],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run(env={**env, "DJANGO_GZIP": "0"}).stdout.strip() == "False"
    assert run(env=env).stdout.strip() == "True"
