"""Pages travel compressed to a browser that accepts gzip (GZipMiddleware), each compressed
stream padded differently (Django's BREACH mitigation), and plain to one that does not."""

import gzip

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
