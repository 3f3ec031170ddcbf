"""A cached public page is answered before the middleware an anonymous visitor does not need,
with the headers a freshly rendered page has, and never from a version that was lost."""

import gzip
import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from campaigns import public_cache
from campaigns.models import Activity
from campaigns.public_cache import VERSION_KEY
from tests.factories import SessionFactory
from tests.operations.logs import console_output, json_records

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

PER_RESPONSE = {"X-Request-ID", "Date"}


@pytest.fixture
def page_cache():
    with override_settings(PUBLIC_PAGE_CACHE_LOCAL_SECONDS=60):
        yield


@pytest.fixture
def url():
    return SessionFactory(activity__title="探秘5G网络大脑").activity.get_absolute_url()


def headers(response) -> dict:
    return {name: value for name, value in response.items() if name not in PER_RESPONSE}


@pytest.mark.parametrize("path", ["/", "/en/", "/activities/", "/feedback/"])
def test_a_cached_page_has_the_headers_of_a_rendered_one(client, url, path):
    rendered = client.get(path)
    cached = client.get(path)
    assert not hasattr(rendered.wsgi_request, "cached_route")
    assert cached.wsgi_request.cached_route  # it did come from the cache
    assert headers(cached) == headers(rendered)
    for name in ("Content-Security-Policy", "X-Frame-Options", "Content-Language",
                 "Referrer-Policy", "X-Content-Type-Options", "Permissions-Policy"):
        assert name in cached, name
    assert cached.content == rendered.content


def test_a_cached_page_skips_sessions_and_authentication(client, url):
    client.get(url)
    cached = client.get(url)
    # The session and authentication middleware never saw this request.
    assert not hasattr(cached.wsgi_request, "session")
    assert not hasattr(cached.wsgi_request, "user")


def test_the_care_mode_page_is_cached_apart(client, url):
    standard = client.get(url).content
    client.cookies["yzfw_care"] = "1"
    client.get(url)
    care = client.get(url)
    assert care.wsgi_request.cached_route
    assert care.content != standard
    assert b"care" in care.content.split(b">", 2)[1]  # <html class="… care"


def test_the_request_log_names_the_route_of_a_cached_page(client, url):
    client.get(url)
    with console_output(json_lines=True) as out:
        client.get(url)
    [line] = [r for r in json_records(out) if r["logger"] == "campaign.request"]
    assert line["route"] == "campaigns:activity_detail"
    assert line["status"] == 200


def test_a_lost_version_never_serves_a_page_stored_under_an_older_one(client, url):
    assert "探秘5G网络大脑" in client.get(url).content.decode()
    # The cache loses the version (evicted, or Redis restarted), and a change lands that
    # no bump announced: a number restarting from 0 or 1 could match the old page.
    cache.delete(VERSION_KEY)
    Activity.objects.update(title="走进5G网络大脑")
    assert "走进5G网络大脑" in client.get(url).content.decode()


def test_a_signed_in_visitor_is_not_served_the_anonymous_page(client, url, django_user_model):
    client.get(url)
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True))
    response = client.get(url)
    assert not hasattr(response.wsgi_request, "cached_route")
    assert response.wsgi_request.user.is_authenticated


def test_a_compressed_page_goes_only_to_visitors_who_accept_gzip(client, url):
    client.get(url, headers={"accept-encoding": "gzip"})
    compressed = client.get(url, headers={"accept-encoding": "gzip, deflate"})
    plain = client.get(url)
    assert compressed.wsgi_request.cached_route
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content).decode().count("探秘5G网络大脑") >= 1
    assert "Content-Encoding" not in plain
    assert "探秘5G网络大脑" in plain.content.decode()


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=3600)
def test_plain_http_is_redirected_even_when_the_page_is_cached(client, url):
    client.get(url, secure=True)
    cached = client.get(url, secure=True)
    assert cached.wsgi_request.cached_route
    assert cached["Strict-Transport-Security"].startswith("max-age=3600")
    insecure = client.get(url)
    assert insecure.status_code == 301
    assert insecure["Location"].startswith("https://")


@override_settings(SECURE_HSTS_SECONDS=3600)
def test_hsts_is_sent_over_https_only(client, url):
    client.get(url, secure=True)
    client.get(url)
    over_https, over_http = client.get(url, secure=True), client.get(url)
    assert over_https.wsgi_request.cached_route and over_http.wsgi_request.cached_route
    assert "Strict-Transport-Security" in over_https
    assert "Strict-Transport-Security" not in over_http


def test_another_servers_change_shows_at_once_despite_this_process_copy(client, url):
    assert "探秘5G网络大脑" in client.get(url).content.decode()
    assert client.get(url).wsgi_request.cached_route
    # Another server saves a change and bumps the shared version; this process holds its
    # own copy of the page, which must not be served any more.
    Activity.objects.update(title="走进5G网络大脑")
    cache.incr(VERSION_KEY)
    assert "走进5G网络大脑" in client.get(url).content.decode()


def test_a_page_is_rendered_again_once_its_time_is_up(client, url, monkeypatch):
    client.get(url)
    assert client.get(url).wsgi_request.cached_route
    # Nothing was written, but the page is older than the cache timeout: the 48-hour
    # figures change with the clock alone.
    later = time.time() + 61
    monkeypatch.setattr(public_cache.time, "time", lambda: later)
    assert not hasattr(client.get(url).wsgi_request, "cached_route")
