"""Today's feedback and signups count on the dashboard at once, without any build, and
submitting feedback writes no rollup row (so concurrent posts never wait on one)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import FeedbackDayStats, RollupDay, SignupDayStats
from feedback.reporting import rollups
from feedback.reporting.filters import DashboardFilters
from feedback.reporting.selectors import dashboard
from tests.factories import FeedbackFactory, SessionFactory, SignupFactory

pytestmark = pytest.mark.django_db


def test_todays_feedback_and_signups_count_without_a_build(theme, activity):
    now = timezone.now()
    FeedbackFactory(theme=theme, created_at=now - datetime.timedelta(days=2), overall_score=6)
    rollups.rollup_all(now=now)
    assert dashboard(DashboardFilters(), now=now).feedback.received == 1

    FeedbackFactory(theme=theme, overall_score=10, recommend_score=10)
    SignupFactory(session=SessionFactory(activity=activity))

    board = dashboard(DashboardFilters(), now=timezone.now())
    assert (board.feedback.received, board.feedback.high, board.feedback.promoters) == (2, 1, 1)
    assert board.signups.total == 1
    assert board.days == [(timezone.localdate(), 1)]
    assert not RollupDay.objects.filter(day=timezone.localdate()).exists()


def test_a_feedback_post_writes_no_rollup_row(client, form_data):
    response = client.post(reverse("feedback:create"), form_data)
    assert response.status_code == 302
    assert not RollupDay.objects.exists()
    assert not FeedbackDayStats.objects.exists()
    assert not SignupDayStats.objects.exists()
    assert dashboard(DashboardFilters(), now=timezone.now()).feedback.received == 1
