"""关怀版: a switch in every page's header turns it on and off, the choice is remembered, and
the public page cache never hands one mode's page to the other."""

import re

import pytest
from django.test import override_settings

from campaigns.care import CARE_COOKIE
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return SessionFactory(capacity=10, activity__title="探秘5G网络大脑")


def is_care_page(response) -> bool:
    html = response.content.decode()
    return bool(re.search(r'<html lang="[^"]+" class="care">', html))


def switch_link(response) -> str:
    return re.search(r'<a class="btn care-switch[^"]*" rel="nofollow" href="([^"]+)"',
                     response.content.decode()).group(1).replace("&amp;", "&")


def test_the_header_offers_care_mode_and_it_stays_on_across_pages(client, session):
    page = session.activity.get_absolute_url()
    response = client.get(page)
    assert not is_care_page(response)
    assert ">关怀版</a>" in response.content.decode()

    switched = client.get(switch_link(response))
    assert switched.status_code == 302
    assert switched["Location"] == page  # back where the visitor was
    assert switched.cookies[CARE_COOKIE].value == "1"
    assert switched.cookies[CARE_COOKIE]["max-age"] >= 180 * 24 * 3600  # remembered

    for url in (page, "/", "/activities/", "/feedback/new/", "/my/", "/privacy/"):
        response = client.get(url)
        assert is_care_page(response), url
        assert ">标准版</a>" in response.content.decode()


def test_standard_mode_is_one_tap_back(client, session):
    client.cookies[CARE_COOKIE] = "1"
    response = client.get("/activities/")
    assert is_care_page(response)
    back = client.get(switch_link(response))
    assert back["Location"] == "/activities/"
    assert back.cookies[CARE_COOKIE].value == ""  # forgotten: 标准版 is the default
    assert not is_care_page(client.get("/activities/"))


def test_english_labels(client, session):
    assert ">Large text</a>" in client.get("/en/").content.decode()
    client.cookies[CARE_COOKIE] = "1"
    assert ">Standard</a>" in client.get("/en/").content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x", ""])
def test_the_switch_never_leads_off_the_site(client, target):
    response = client.get("/care/on/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_unknown_mode_is_not_found(client):
    assert client.get("/care/maybe/").status_code == 404


@pytest.fixture
def page_cache():
    with override_settings(PUBLIC_PAGE_CACHE_LOCAL_SECONDS=60):
        yield


@pytest.mark.usefixtures("page_cache")
@pytest.mark.parametrize("first", ["standard", "care"])
def test_the_page_cache_keeps_the_modes_apart(client, session, first, django_assert_num_queries):
    url = session.activity.get_absolute_url()
    modes = [first, "care" if first == "standard" else "standard"]
    for mode in modes:  # each mode's first visit renders (and caches) its own page
        client.cookies[CARE_COOKIE] = "1" if mode == "care" else ""
        response = client.get(url)
        assert is_care_page(response) == (mode == "care")
        assert "Cookie" in response["Vary"]
    for mode in modes:  # then each is served from the cache, still its own mode
        client.cookies[CARE_COOKIE] = "1" if mode == "care" else ""
        with django_assert_num_queries(0):
            response = client.get(url)
        assert is_care_page(response) == (mode == "care")
        assert "Cookie" in response["Vary"]
