"""Moderating, replying to or rejecting old feedback (and cancelling an old signup) shows on
the dashboard at once, although that day was rolled up; the next build makes it fresh again
with the same figures."""

import datetime

import pytest
from django.utils import timezone

from campaigns.models import Signup
from campaigns.services import signup_cancel
from feedback.models import Feedback, RollupDay
from feedback.reporting import rollups
from feedback.reporting.filters import DashboardFilters
from feedback.reporting.selectors import dashboard
from feedback.services import feedback_publish, feedback_reject, reply_create
from tests.dashboard import raw_figures as raw
from tests.factories import FeedbackFactory, ModeratorFactory, SessionFactory, SignupFactory, city

pytestmark = pytest.mark.django_db
FILTERS = DashboardFilters()


@pytest.fixture
def three_days_ago():
    return timezone.now() - datetime.timedelta(days=3)


@pytest.fixture
def old_feedback(theme, activity, three_days_ago):
    rows = [
        FeedbackFactory(theme=theme, activity=activity, overall_score=score,
                        recommend_score=score, created_at=three_days_ago,
                        state=Feedback.State.PENDING)
        for score in (4, 9, 10)
    ]
    case = FeedbackFactory(
        theme=theme, activity=activity, kind=Feedback.Kind.COMPLAINT, overall_score=2,
        recommend_score=1, created_at=three_days_ago,
        reply_due_at=three_days_ago + datetime.timedelta(hours=48),
    )
    return [*rows, case]


def _day(moment) -> RollupDay:
    return RollupDay.objects.get(subject="feedback", day=timezone.localdate(moment))


def _built():
    rollups.rollup_all()


def _same_as_raw(board, now):
    assert board.feedback == raw.raw_feedback_figures(FILTERS, now=now)
    assert board.distribution == raw.raw_satisfaction_distribution(FILTERS)
    assert board.signups == raw.raw_signup_figures(FILTERS)


def test_rejecting_an_old_feedback_takes_it_out_of_the_scores_at_once(
    old_feedback, three_days_ago
):
    _built()
    assert _day(three_days_ago).fresh
    assert dashboard(FILTERS, now=timezone.now()).feedback.received == 4

    feedback_reject(feedback=old_feedback[0], moderator=ModeratorFactory(), reason="广告")

    assert not _day(three_days_ago).fresh
    now = timezone.now()
    board = dashboard(FILTERS, now=now)
    assert (board.feedback.received, board.feedback.rejected) == (3, 1)
    assert board.stale_days == 1
    _same_as_raw(board, now)

    _built()
    assert _day(three_days_ago).fresh
    board = dashboard(FILTERS, now=now)
    assert (board.feedback.received, board.feedback.rejected) == (3, 1)
    assert board.stale_days == 0
    _same_as_raw(board, now)


def test_publishing_a_rejected_old_feedback_counts_it_again(theme, three_days_ago):
    spam = FeedbackFactory(theme=theme, created_at=three_days_ago, overall_score=1,
                           state=Feedback.State.REJECTED, rejection_reason="误判")
    _built()
    assert dashboard(FILTERS, now=timezone.now()).feedback.received == 0

    feedback_publish(feedback=spam, moderator=ModeratorFactory())

    figures = dashboard(FILTERS, now=timezone.now()).feedback
    assert (figures.received, figures.rejected, figures.low) == (1, 0, 1)


def test_replying_to_an_old_case_moves_it_from_overdue_to_late(old_feedback, three_days_ago):
    _built()
    figures = dashboard(FILTERS, now=timezone.now()).feedback
    assert (figures.overdue, figures.late) == (1, 0)

    reply_create(feedback=old_feedback[-1], author=ModeratorFactory(), body="已安排上门检修。")

    now = timezone.now()
    board = dashboard(FILTERS, now=now)
    assert (board.feedback.overdue, board.feedback.late) == (0, 1)
    _same_as_raw(board, now)
    _built()
    assert dashboard(FILTERS, now=now).feedback == raw.raw_feedback_figures(FILTERS, now=now)


def test_cancelling_an_old_signup_shows_at_once(activity, three_days_ago):
    signup = SignupFactory(session=SessionFactory(activity=activity))
    signup.created_at = three_days_ago
    signup.save(update_fields=["created_at"])
    _built()
    assert dashboard(FILTERS, now=timezone.now()).signups.confirmed == 1

    signup_cancel(signup=signup)

    signups = dashboard(FILTERS, now=timezone.now()).signups
    assert (signups.confirmed, signups.cancelled) == (0, 1)
    assert Signup.objects.get().status == Signup.Status.CANCELLED


def test_deleting_an_old_feedback_takes_it_off_the_dashboard(old_feedback, three_days_ago):
    _built()
    old_feedback[1].delete()  # as the admin's delete does
    assert dashboard(FILTERS, now=timezone.now()).feedback.received == 3


def test_moving_a_feedback_to_another_day_makes_both_days_stale(old_feedback, three_days_ago):
    _built()
    moved = old_feedback[1]
    moved.created_at = three_days_ago - datetime.timedelta(days=2)
    moved.save()  # a full save, as an admin edit
    assert not _day(three_days_ago).fresh
    assert not _day(moved.created_at).fresh
    now = timezone.now()
    _same_as_raw(dashboard(FILTERS, now=now), now)


def test_moving_a_session_to_another_city_moves_its_signups_at_once(activity, three_days_ago):
    session = SessionFactory(activity=activity, city="北京")
    signup = SignupFactory(session=session)
    signup.created_at = three_days_ago
    signup.save(update_fields=["created_at"])
    _built()
    in_shanghai = DashboardFilters(region=city("上海"))
    assert dashboard(in_shanghai, now=timezone.now()).signups.total == 0

    session.region = city("上海")
    session.save()  # as the admin's change form does

    assert dashboard(in_shanghai, now=timezone.now()).signups.total == 1
    assert dashboard(DashboardFilters(region=city("北京")), now=timezone.now()).signups.total == 0
    _built()
    assert dashboard(in_shanghai, now=timezone.now()).signups == raw.raw_signup_figures(
        in_shanghai
    )
