"""The 体验心声 wall: published feedback only, filters, pagination, constant query count."""

import pytest

from feedback.models import Feedback, Reply
from tests.factories import ActivityFactory, FeedbackFactory, ReplyFactory, SignupFactory

pytestmark = pytest.mark.django_db


def _titles(response):
    return [f.reference for f in response.context["page"]]


def test_only_published_feedback_appears(client, theme):
    shown = FeedbackFactory(theme=theme, state=Feedback.State.PUBLISHED)
    for state in ("pending", "rejected", "hidden"):
        FeedbackFactory(theme=theme, state=state, rejection_reason="x", comment=f"不应出现{state}")
    response = client.get("/feedback/")
    assert _titles(response) == [shown.reference]
    assert "不应出现" not in response.content.decode()


def test_official_replies_show_and_internal_notes_do_not(client, theme):
    feedback = FeedbackFactory(theme=theme)
    ReplyFactory(feedback=feedback, body="官方:已加装室分设备。")
    ReplyFactory(feedback=feedback, kind=Reply.Kind.NOTE, body="内部:客户是老用户")
    page = client.get("/feedback/").content.decode()
    assert "官方:已加装室分设备。" in page and "官方回复" in page
    assert "内部:客户是老用户" not in page


def test_filters_by_activity_and_theme(client, theme, other_theme, activity):
    in_activity = FeedbackFactory(theme=theme, activity=activity)
    other = FeedbackFactory(theme=other_theme)
    assert _titles(client.get("/feedback/", {"activity": activity.slug})) == [in_activity.reference]
    assert _titles(client.get("/feedback/", {"theme": other_theme.slug})) == [other.reference]
    # Unknown values show everything rather than an error.
    response = client.get("/feedback/", {"activity": "<script>", "theme": "x" * 300, "page": "z"})
    assert response.status_code == 200
    assert set(_titles(response)) == {in_activity.reference, other.reference}


def test_pagination_keeps_the_filters(client, theme):
    FeedbackFactory.create_batch(25, theme=theme)
    first = client.get("/feedback/", {"theme": theme.slug})
    assert len(first.context["page"]) == 20
    assert f"theme={theme.slug}&amp;page=2" in first.content.decode()
    second = client.get("/feedback/", {"theme": theme.slug, "page": 2})
    assert len(second.context["page"]) == 5


def test_markup_in_published_text_is_escaped(client, theme):
    FeedbackFactory(theme=theme, comment='<img src=x onerror="alert(1)">很好')
    page = client.get("/feedback/").content.decode()
    assert "<img src=x" not in page and "&lt;img" in page


def _fill(theme, n):
    activity = ActivityFactory(campaign=theme.campaign)
    for feedback in FeedbackFactory.create_batch(n, theme=theme, activity=activity, name="李雷"):
        ReplyFactory(feedback=feedback)
        ReplyFactory(feedback=feedback, kind=Reply.Kind.NOTE)


@pytest.mark.parametrize("rows", [1, 30])
def test_the_wall_runs_the_same_number_of_queries_for_1_or_30_rows(
    client, theme, rows, django_assert_num_queries
):
    _fill(theme, rows)
    client.get("/feedback/")  # warm up: session, content types
    # campaign, activities, themes, count, page, official replies
    with django_assert_num_queries(6):
        response = client.get("/feedback/")
    assert len(response.context["page"]) == min(rows, 20)


def test_verified_participants_get_a_badge(client, theme):
    FeedbackFactory(theme=theme, signup=SignupFactory(), name="韩梅梅")
    FeedbackFactory(theme=theme)
    page = client.get("/feedback/").content.decode()
    assert page.count("已核实参与者") == 1 and "韩**" in page
