"""A feedback post costs a small, fixed number of queries, however many items the campaign has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.models import Feedback
from tests.factories import ThemeItemFactory

pytestmark = pytest.mark.django_db

URL = "/feedback/new/"


def post(client, form_data) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.post(URL, form_data).status_code == 302
    return len(queries)


def test_a_feedback_post_does_not_load_the_item_list(client, form_data, theme):
    post(client, form_data)  # warms the per-process caches (content types)
    few = post(client, form_data | {"activity": ""})
    ThemeItemFactory.create_batch(30, theme=theme)
    assert post(client, form_data | {"activity": ""}) == few
    assert Feedback.objects.count() == 3


def test_a_feedback_post_stays_within_its_query_budget(client, form_data, item):
    post(client, form_data | {"activity": ""})
    # Campaign, activity, theme, item, reference check, feedback row (in a savepoint that
    # catches a racing duplicate), event row, and the savepoint statements that stand for
    # BEGIN/COMMIT inside the test's transaction. Model validation queried each foreign key
    # again (3 more) before.
    assert post(client, form_data | {"theme_item": str(item.pk)}) <= 11
