"""Activity pages show average satisfaction and the number of ratings, in the same queries."""

import pytest

from feedback.models import Feedback
from tests.factories import ActivityFactory, FeedbackFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_detail_and_list_show_the_average_of_all_but_rejected_ratings(client, activity, theme):
    for score, state in [(9, "published"), (4, "pending"), (8, "hidden"), (1, "rejected")]:
        FeedbackFactory(
            activity=activity,
            theme=theme,
            overall_score=score,
            state=state,
            rejection_reason="广告" if state == "rejected" else "",
        )
    detail = client.get(activity.get_absolute_url()).content.decode()
    assert "7.0" in detail and "3 条评价" in detail
    assert f"/feedback/new/?activity={activity.slug}" in detail
    listing = client.get("/activities/").content.decode()
    assert "7.0" in listing and "3 条评价" in listing


def test_an_activity_without_ratings_says_so(client, activity):
    assert "暂无评价" in client.get(activity.get_absolute_url()).content.decode()


@pytest.mark.parametrize("rows", [1, 10])
def test_the_activity_list_runs_the_same_number_of_queries_with_ratings(
    client, theme, rows, django_assert_num_queries
):
    for _ in range(rows):
        activity = ActivityFactory(campaign=theme.campaign)
        SessionFactory(activity=activity)
        FeedbackFactory.create_batch(
            3, activity=activity, theme=theme, state=Feedback.State.PUBLISHED
        )
    client.get("/activities/")
    # cities, activities (with rating subqueries), sessions, quotas, themes
    with django_assert_num_queries(5):
        client.get("/activities/")
