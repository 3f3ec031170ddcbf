"""The rollup builder: a change during a build leaves the day stale (never wrongly fresh);
the cron command and the background task build stale and new days; the dashboard queues a
build when it meets stale past days, at most once a minute."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback, FeedbackDayStats, RollupDay
from feedback.reporting import rollups
from feedback.reporting.filters import DashboardFilters
from feedback.reporting.selectors import dashboard
from feedback.services import feedback_reject
from tests.dashboard import raw_figures as raw
from tests.factories import FeedbackFactory, ModeratorFactory, StaffFactory

pytestmark = pytest.mark.django_db
FILTERS = DashboardFilters()


@pytest.fixture
def days_ago(theme):
    """Feedback on each of the last four settled days (a day is built only `SETTLE` after
    it ended: in the first hour after local midnight, yesterday is not settled yet)."""
    now = timezone.now() - rollups.SETTLE
    return [
        FeedbackFactory(theme=theme, created_at=now - datetime.timedelta(days=n),
                        state=Feedback.State.PENDING, overall_score=n + 5)
        for n in range(1, 5)
    ]


def _fresh(feedback) -> bool:
    return RollupDay.objects.get(
        subject="feedback", day=timezone.localdate(feedback.created_at)
    ).fresh


def test_a_change_between_reading_and_writing_a_day_leaves_it_stale(days_ago, monkeypatch):
    target = days_ago[1]
    read_rows = rollups.day_rows

    def rows_then_a_moderator_acts(rollup, first, last):
        rows = read_rows(rollup, first, last)
        if rollup is rollups.FEEDBACK and first == timezone.localdate(target.created_at):
            # commits after the builder read the day's rows, before it marks the day built
            feedback_reject(feedback=target, moderator=ModeratorFactory(), reason="重复")
        return rows

    monkeypatch.setattr(rollups, "day_rows", rows_then_a_moderator_acts)
    result = rollups.rollup_days(rollups.FEEDBACK, run_days=1)

    assert result.stale == 1
    assert not _fresh(target)
    assert all(_fresh(feedback) for feedback in days_ago if feedback != target)
    now = timezone.now()
    figures = dashboard(FILTERS, now=now).feedback
    assert figures.rejected == 1
    assert figures == raw.raw_feedback_figures(FILTERS, now=now)

    monkeypatch.undo()
    assert rollups.rollup_days(rollups.FEEDBACK).fresh == 1  # only that day again
    assert _fresh(target)


def test_the_command_builds_stale_and_new_days_and_rebuilds_on_demand(days_ago):
    out = io.StringIO()
    call_command("rollup_feedback", stdout=out)
    assert "feedback: 4 day(s) built" in out.getvalue()
    assert all(_fresh(feedback) for feedback in days_ago)
    assert FeedbackDayStats.objects.count() == 4

    out = io.StringIO()
    call_command("rollup_feedback", stdout=out)
    assert "feedback: 0 day(s) built" in out.getvalue()

    out = io.StringIO()
    call_command("rollup_feedback", "--rebuild", stdout=out)
    assert "feedback: 4 day(s) built" in out.getvalue()
    now = timezone.now()
    assert dashboard(FILTERS, now=now).feedback == raw.raw_feedback_figures(FILTERS, now=now)


def test_the_task_builds_every_pending_day(days_ago):
    rollups.build_dashboard_rollups.enqueue()  # the immediate backend runs it at once
    assert all(_fresh(feedback) for feedback in days_ago)
    assert dashboard(FILTERS, now=timezone.now()).stale_days == 0


def test_the_dashboard_queues_one_build_when_it_meets_stale_days(
    client, days_ago, django_capture_on_commit_callbacks
):
    client.force_login(StaffFactory())
    url = reverse("feedback:dashboard")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.get(url).status_code == 200
    assert len(callbacks) == 1
    assert all(_fresh(feedback) for feedback in days_ago)

    rollups.rows_changed("feedback", [timezone.localdate(days_ago[0].created_at)])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.get(url)
    assert callbacks == []  # queued a moment ago: not again within the minute
    assert not _fresh(days_ago[0])


def test_days_not_yet_settled_are_not_built(theme):
    now = timezone.now()
    FeedbackFactory(theme=theme, created_at=now)
    assert rollups.rollup_all(now=now).fresh == 0
    assert not RollupDay.objects.filter(day=timezone.localdate(now)).exists()
