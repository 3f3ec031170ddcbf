"""Session lists show places, waiting lists and signup buttons in a constant number of queries."""

import pytest

from tests.factories import SessionFactory, SignupFactory

pytestmark = pytest.mark.django_db


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("url", ["/", "/activities/"])
def test_list_pages_do_not_query_per_session_or_waiting_list(client, url):
    session = SessionFactory(capacity=1, waitlist_limit=5)
    SignupFactory(session=session)
    SignupFactory(session=session)
    few = _count_queries(client, url)
    for _ in range(4):
        other = SessionFactory(activity=session.activity, capacity=1, waitlist_limit=2)
        SignupFactory(session=other)
        SignupFactory(session=other)
        SignupFactory(session=other)
    assert _count_queries(client, url) == few


def test_activity_detail_shows_full_and_waitlist_states_without_extra_queries(client):
    waiting = SessionFactory(capacity=1, waitlist_limit=2, title="候补场")
    SignupFactory(session=waiting)
    SignupFactory(session=waiting)
    url = waiting.activity.get_absolute_url()
    few = _count_queries(client, url)
    full = SessionFactory(activity=waiting.activity, capacity=1, waitlist_limit=1)
    SignupFactory(session=full)
    SignupFactory(session=full)
    page = client.get(url).content.decode()
    assert "已满，可候补" in page and "1 人候补中" in page and "已满" in page
    assert _count_queries(client, url) == few


def test_small_slots_are_free_or_full_and_big_sessions_show_few_left():
    from campaigns.models import Session

    slot = SessionFactory(capacity=1, waitlist_enabled=False)
    session = SessionFactory(capacity=10)
    for _ in range(8):
        SignupFactory(session=session)
    slot, session = (Session.objects.select_related("activity").get(pk=s.pk)
                     for s in (slot, session))
    assert slot.state() == Session.State.OPEN
    assert session.state() == Session.State.FEW_LEFT
    SignupFactory(session=slot)
    slot.refresh_from_db()
    assert slot.state() == Session.State.FULL
