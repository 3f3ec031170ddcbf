"""The staff queue: most urgent first, filters, counts, constant queries."""

import datetime

import pytest
from django.utils import timezone

from campaigns.regions import NATIONAL
from feedback import services
from feedback.models import Feedback
from feedback.selectors import moderation_queue
from tests.factories import ActivityFactory, FeedbackFactory, city

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)


def test_cases_closest_to_or_past_their_deadline_come_first(submit, moderator, now):
    calm = submit(kind="praise", overall_score=10, now=now - 1 * H)
    due_later = submit(kind="complaint", now=now - 1 * H)
    overdue = submit(kind="complaint", now=now - 60 * H)
    due_soon = submit(kind="complaint", now=now - 40 * H)
    answered = submit(kind="complaint", now=now - 70 * H)
    services.reply_create(feedback=answered, author=moderator, body="您好。", now=now - 69 * H)
    services.feedback_publish(feedback=answered, moderator=moderator, now=now)
    order = list(moderation_queue(now=now, scope=NATIONAL))
    assert order == [overdue, due_soon, due_later, calm, answered]


def test_filters(submit, theme, other_theme, activity, moderator, now):
    activity.region = city("北京")
    activity.save()
    other_activity = ActivityFactory(campaign=theme.campaign, region=city("上海"))
    beijing = submit(activity=activity, kind="complaint", overall_score=3, now=now)
    shanghai = submit(activity=other_activity, kind="praise", overall_score=9, now=now)
    general = submit(theme=other_theme, kind="suggestion", overall_score=7, now=now)
    services.feedback_publish(feedback=general, moderator=moderator, now=now)

    def refs(**filters):
        return {f.reference for f in moderation_queue(now=now, scope=NATIONAL, **filters)}

    assert refs(region=city("北京")) == {beijing.reference}
    assert refs(region=city("北京").province) == {beijing.reference}
    assert refs(activity=other_activity) == {shanghai.reference}
    assert refs(theme=other_theme) == {general.reference}
    assert refs(kind="complaint") == {beijing.reference}
    assert refs(band="low") == {beijing.reference}
    assert refs(band="mid") == {general.reference}
    assert refs(band="high") == {shanghai.reference}
    assert refs(state="published") == {general.reference}
    assert refs(case="open") == {beijing.reference}
    assert refs(case="overdue") == set()
    later = moderation_queue(now=now + 49 * H, scope=NATIONAL, case="overdue")
    assert {f.reference for f in later} == {beijing.reference}


def test_the_page_filters_and_flags_overdue_cases(moderator_client, submit, theme):
    overdue = submit(kind="complaint", now=timezone.now() - 50 * H)
    submit(kind="praise", overall_score=10)
    response = moderator_client.get("/staff/feedback/", {"case": "overdue"})
    page = response.content.decode()
    assert response.status_code == 200
    assert [f.reference for f in response.context["page"]] == [overdue.reference]
    assert "clock-overdue" in page and "已超时 2小时" in page
    assert response.context["counts"] == {"pending": 2, "open": 1, "overdue": 1}
    bad = moderator_client.get("/staff/feedback/", {"kind": "<x>", "band": "zzz", "page": "-1"})
    assert bad.status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_the_queue_runs_the_same_number_of_queries(
    moderator_client, theme, rows, django_assert_num_queries
):
    activity = ActivityFactory(campaign=theme.campaign)
    FeedbackFactory.create_batch(rows, theme=theme, activity=activity, state=Feedback.State.PENDING)
    moderator_client.get("/staff/feedback/")
    # session, user, permissions (2), the staff member's regions, the regions with feedback,
    # count, counts, theme and activity options, page
    with django_assert_num_queries(11):
        moderator_client.get("/staff/feedback/")
