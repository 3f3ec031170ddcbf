"""The headline figures are right for known data: NPS, banding, fill rate, 48-hour share."""

import datetime

import pytest
from django.urls import reverse

from campaigns.models import Signup
from feedback.models import Feedback
from feedback.reporting import selectors as dashboard
from tests.factories import (
    ActivityFactory,
    FeedbackFactory,
    OfficerApplicationFactory,
    SessionFactory,
    SignupFactory,
    city,
)

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def _ratings(theme, activity, pairs, **extra):
    return [
        FeedbackFactory(
            theme=theme, activity=activity, overall_score=o, recommend_score=r, **extra
        )
        for o, r in pairs
    ]


def test_banding_average_and_nps(theme, activity, now):
    # overall: 3, 6 (low), 7, 8 (mid), 9, 10 (high); recommend: 2, 6 (detractors),
    # 7, 8 (passives), 9, 10 (promoters)
    _ratings(theme, activity, [(3, 2), (6, 6), (7, 7), (8, 8), (9, 9), (10, 10)])
    # A rejected rating counts nowhere in the scores.
    FeedbackFactory(theme=theme, overall_score=1, recommend_score=0,
                    state=Feedback.State.REJECTED, rejection_reason="广告")
    figures = dashboard.feedback_figures(dashboard.DashboardFilters(), now=now)
    assert figures.received == 6
    assert figures.rejected == 1
    assert figures.average == pytest.approx(43 / 6)
    assert (figures.low, figures.mid, figures.high) == (2, 2, 2)
    assert (figures.promoters, figures.passives, figures.detractors) == (2, 2, 2)
    assert figures.nps == 0
    assert figures.low_percent == pytest.approx(33.3)


def test_nps_is_percent_promoters_minus_percent_detractors(theme, now):
    _ratings(theme, None, [(9, 10), (9, 9), (9, 9), (8, 7), (4, 3)])
    figures = dashboard.feedback_figures(dashboard.DashboardFilters(), now=now)
    assert figures.nps == round(100 * (3 - 1) / 5)  # 40


def test_dimension_averages_skip_not_experienced(theme, now):
    FeedbackFactory(theme=theme, score_network=8, score_attitude=None)
    FeedbackFactory(theme=theme, score_network=6, score_attitude=10)
    figures = dashboard.feedback_figures(dashboard.DashboardFilters(), now=now)
    averages = {name: avg for name, _label, avg in figures.dimensions}
    assert averages["score_network"] == pytest.approx(7)
    assert averages["score_attitude"] == pytest.approx(10)
    assert averages["score_billing"] is None


def test_share_answered_within_48_hours(theme, now):
    created = now - 100 * HOUR
    due = created + 48 * HOUR
    case = {"theme": theme, "kind": Feedback.Kind.COMPLAINT, "created_at": created,
            "reply_due_at": due}
    FeedbackFactory(**case, first_replied_at=created + 2 * HOUR)  # on time
    FeedbackFactory(**case, first_replied_at=created + 47 * HOUR)  # on time
    FeedbackFactory(**case, first_replied_at=due + HOUR)  # late
    FeedbackFactory(**case)  # overdue, no reply
    FeedbackFactory(theme=theme, kind=Feedback.Kind.COMPLAINT, created_at=now - HOUR,
                    reply_due_at=now + 47 * HOUR)  # still within its deadline
    figures = dashboard.feedback_figures(dashboard.DashboardFilters(), now=now)
    assert (figures.on_time, figures.late, figures.overdue, figures.pending) == (2, 1, 1, 1)
    assert figures.complaints == 5
    assert figures.on_time_percent == 50.0
    assert [f.pk for f in dashboard.overdue_feedback(dashboard.DashboardFilters(), now=now)]


def test_signup_counts_and_fill_rate(session, now):
    other = SessionFactory(activity=session.activity, capacity=5, city="北京")
    confirmed = [SignupFactory(session=session) for _ in range(3)]
    SignupFactory(session=session, companions=2)  # 3 places
    attended = SignupFactory(session=other)
    Signup.objects.filter(pk=attended.pk).update(status=Signup.Status.ATTENDED)
    from campaigns.services import signup_cancel

    signup_cancel(signup=confirmed[0])
    figures = dashboard.signup_figures(dashboard.DashboardFilters())
    assert (figures.total, figures.confirmed, figures.cancelled, figures.attended) == (5, 3, 1, 1)
    fill = {row.label: row for row in dashboard.fill_by_activity(dashboard.DashboardFilters())}
    row = fill[session.activity.title]
    # session: 2 + 3 places of 10; other: 1 of 5
    assert (row.taken, row.capacity) == (6, 15)
    assert row.percent == 40.0


def test_applications_by_state_include_zeros(activity):
    officer = ActivityFactory(kind="officer", campaign=activity.campaign)
    OfficerApplicationFactory(activity=officer)
    OfficerApplicationFactory(activity=officer, city="上海")
    counts = {value: n for value, _label, n in
              dashboard.application_figures(dashboard.DashboardFilters())}
    assert counts == {"pending": 2, "accepted": 0, "rejected": 0, "reserve": 0, "withdrawn": 0}
    only_shanghai = dashboard.application_figures(dashboard.DashboardFilters(region=city("上海")))
    assert sum(n for _v, _l, n in only_shanghai) == 1


def test_filters_by_activity_theme_city_kind_and_dates(theme, other_theme, activity, now):
    shanghai = ActivityFactory(campaign=theme.campaign, title="10086客服一日体验",
                               region=city("上海"))
    SessionFactory(activity=shanghai, city="上海")
    SessionFactory(activity=activity, city="北京")
    FeedbackFactory(theme=theme, activity=activity, created_at=now - 10 * 24 * HOUR)
    FeedbackFactory(theme=other_theme, activity=shanghai, created_at=now - 2 * 24 * HOUR)
    FeedbackFactory(theme=theme, activity=None, created_at=now)

    def count(**filters):
        return dashboard.feedback_figures(dashboard.DashboardFilters(**filters), now=now).received

    assert count() == 3
    assert count(activity=activity) == 1
    assert count(theme=other_theme) == 1
    assert count(region=city("上海")) == 1
    assert count(kind="open_day") == 2
    assert count(kind="officer") == 0
    day = datetime.timedelta(days=1)
    today = (now + 8 * HOUR).date()  # local date in Shanghai
    assert count(date_from=today - 3 * day) == 2
    assert count(date_from=today - 3 * day, date_to=today - day) == 1


def test_distribution_and_weekly_nps(theme, now):
    _ratings(theme, None, [(9, 10), (9, 3)], created_at=now - 7 * 24 * HOUR)
    _ratings(theme, None, [(4, 10)], created_at=now)
    filters = dashboard.DashboardFilters()
    distribution = dict(dashboard.satisfaction_distribution(filters))
    assert distribution[9] == 2 and distribution[4] == 1 and distribution[1] == 0
    weeks = dashboard.nps_by_week(filters)
    assert [w.ratings for w in weeks] == [2, 1]
    assert [w.nps for w in weeks] == [0, 100]
    assert weeks[1].week.weekday() == 0  # weeks start on Monday


def test_dashboard_page_shows_the_figures_and_links_to_the_lists(as_user, theme, activity, now):
    from tests.factories import StaffFactory

    _ratings(theme, activity, [(3, 2), (10, 10)])
    client = as_user(StaffFactory())
    response = client.get(reverse("feedback:dashboard"), {"activity": activity.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{reverse('feedback:queue')}?activity={activity.pk}&amp;band=low" in body
    assert f"session__activity__id__exact={activity.pk}" in body
    assert 'role="img"' in body and "<title id=\"chart-nps-title\">" in body


def test_invalid_filters_are_shown_and_ignored(as_user, analyst):
    response = as_user(analyst).get(
        reverse("feedback:dashboard"), {"date_from": "2026-11-20", "date_to": "2026-11-01"}
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期。" in response.content.decode()


def test_analyst_sees_figures_without_links_to_lists_they_cannot_open(as_user, analyst, theme):
    _ratings(theme, None, [(3, 2)])
    body = as_user(analyst).get(reverse("feedback:dashboard")).content.decode()
    assert reverse("feedback:queue") not in body
    assert "/campaigns/signup/" not in body
    assert reverse("feedback:export_feedback", args=["xlsx"]) in body
