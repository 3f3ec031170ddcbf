"""Anonymous visitors get cached public pages that refresh as soon as places or content change."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from campaigns import services
from campaigns.models import Activity
from tests.factories import SessionFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def page_cache():
    with override_settings(PUBLIC_PAGE_CACHE_LOCAL_SECONDS=60):
        yield


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def session():
    return SessionFactory(capacity=10, activity__title="探秘5G网络大脑")


def test_a_second_visit_runs_no_query(client, session, django_assert_num_queries):
    url = session.activity.get_absolute_url()
    first = client.get(url).content
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first
    assert second["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" in second  # headers come from the middleware every time


def test_a_signup_refreshes_places_left(client, session, django_capture_on_commit_callbacks):
    url = session.activity.get_absolute_url()
    assert "剩余 10 个名额" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_create(
            session=session,
            name="王小明",
            phone="13912345678",
            companions=2,
            rules_accepted=True,
        )
    assert "剩余 7 个名额" in client.get(url).content.decode()


def test_a_staff_edit_refreshes_the_page(client, session, django_capture_on_commit_callbacks):
    url = session.activity.get_absolute_url()
    client.get("/")
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        activity = Activity.objects.get(pk=session.activity.pk)
        activity.title = "探秘5G网络大脑(新)"
        activity.save()
    assert "探秘5G网络大脑(新)" in client.get(url).content.decode()
    assert "探秘5G网络大脑(新)" in client.get("/").content.decode()


def test_languages_are_cached_apart(client, session):
    assert client.get("/").headers["Content-Language"] == "zh-hans"
    english = client.get("/en/").content.decode()
    assert 'lang="en"' in english


def test_visitors_with_a_session_get_live_pages(client, session):
    url = session.activity.get_absolute_url()
    client.get(url)
    client.force_login(StaffFactory())
    assert queries_for(client, url) > 0


def test_not_found_pages_are_not_cached(client, session):
    assert client.get("/activities/nope/").status_code == 404
    SessionFactory(activity__slug="nope")
    assert client.get("/activities/nope/").status_code == 200


@override_settings(PUBLIC_PAGE_CACHE_LOCAL_SECONDS=0)
def test_a_zero_lifetime_turns_the_cache_off(client, session):
    url = session.activity.get_absolute_url()
    client.get(url)
    assert queries_for(client, url) > 0


def test_publishing_feedback_refreshes_the_wall(client, django_capture_on_commit_callbacks):
    from feedback import services as feedback_services
    from tests.factories import FeedbackFactory, ModeratorFactory

    feedback = FeedbackFactory(state="pending", comment="讲解很专业", public_comment="讲解很专业")
    assert "讲解很专业" not in client.get("/feedback/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        feedback_services.feedback_publish(feedback=feedback, moderator=ModeratorFactory())
    assert "讲解很专业" in client.get("/feedback/").content.decode()
