"""A cached public page is answered before the middleware an anonymous visitor does not need,
with the headers a freshly rendered page has, and never from a version that was lost."""

import pytest
from django.core.cache import cache
from django.test import override_settings

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
