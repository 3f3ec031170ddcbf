"""Pages that list sessions run the same number of queries for 1 session as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Activity
from tests.factories import ActivityFactory, OfficerQuotaFactory, SessionFactory, ThemeItemFactory

pytestmark = pytest.mark.django_db


def build(sessions_per_activity: int):
    item = ThemeItemFactory()
    for kind in (Activity.Kind.OPEN_DAY, Activity.Kind.GM_RECEPTION):
        activity = ActivityFactory(campaign=item.theme.campaign, kind=kind)
        activity.themes.add(item.theme)
        SessionFactory.create_batch(sessions_per_activity, activity=activity)
    OfficerQuotaFactory(activity__campaign=item.theme.campaign)
    return activity


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/", "/activities/", "/activities/?city=110100"])
def test_list_pages_do_not_grow_with_sessions(client, path):
    build(1)
    few = count_queries(client, path)
    build(30)
    assert count_queries(client, path) == few


def test_activity_detail_does_not_grow_with_sessions(client):
    one = build(1)
    many = build(30)
    assert count_queries(client, many.get_absolute_url()) == count_queries(
        client, one.get_absolute_url()
    )


def test_home_page_query_budget(client, django_assert_max_num_queries):
    build(30)
    with django_assert_max_num_queries(8):
        client.get("/")
