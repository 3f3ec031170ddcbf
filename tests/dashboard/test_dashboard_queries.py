"""The dashboard and the report run a fixed number of queries whatever the data size, and
whether or not the days have been rolled up (feedback/reporting/rollups.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import Feedback
from feedback.officers import services
from feedback.reporting import rollups
from tests.factories import (
    ActivityFactory,
    ExperienceTaskFactory,
    FeedbackFactory,
    OfficerApplicationFactory,
    OfficerFactory,
    ReceptionSignupFactory,
    SessionFactory,
    SignupFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _add_rows(n, *, theme, activity, officer, now):
    for i in range(n):
        session = SessionFactory(activity=activity, city=["北京", "上海"][i % 2], capacity=5)
        SignupFactory(session=session)
        FeedbackFactory(
            theme=theme,
            activity=activity if i % 2 else None,
            overall_score=1 + i % 10,
            recommend_score=i % 11,
            score_network=1 + i % 10,
            created_at=now - (i % 30) * DAY,
            kind=Feedback.Kind.COMPLAINT,
            reply_due_at=now - (i % 30) * DAY + 2 * DAY,
        )
        OfficerApplicationFactory(activity=officer)
        ReceptionSignupFactory()
        add_officer_report(officer, problems=i % 2 == 0, now=now,
                           city=["北京", "上海", "广州", "杭州", "成都"][i % 5])


def add_officer_report(programme, *, problems, now, city):
    """A submitted report; with a problem, it is a case, already overdue."""
    task = ExperienceTaskFactory(programme=programme)
    officer = OfficerFactory(activity=programme, city=city)
    report = services.report_save(task=task, officer=officer, data={
        "scores": {"score_network": 5}, "highlights": "信号好。",
        "problems": "电梯里没信号。" if problems else ""})
    report = services.report_submit(report=report, officer=officer)
    if problems:
        services.report_case_open(report=report, actor=None, now=now - 3 * DAY)


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["feedback:dashboard", "feedback:report"])
def test_query_count_does_not_grow_with_rows(client, page, theme, activity, now):
    from django.utils import timezone

    now = timezone.now()
    officer = ActivityFactory(kind="officer", campaign=activity.campaign)
    client.force_login(StaffFactory())
    url = reverse(page)
    _add_rows(1, theme=theme, activity=activity, officer=officer, now=now)
    client.get(url)  # warm up the session and content-type caches
    few = _count(client, url)
    filtered_few = _count(client, url, {"activity": activity.pk, "region": "110100",
                                        "theme": theme.pk, "date_from": "2026-01-01"})
    _add_rows(50, theme=theme, activity=activity, officer=officer, now=now)
    assert _count(client, url) == few
    assert _count(client, url, {"activity": activity.pk, "region": "110100", "theme": theme.pk,
                                "date_from": "2026-01-01"}) == filtered_few
    # Past days rolled up: read from the rollups instead of the rows, in as many queries.
    assert rollups.rollup_all().fresh > 0
    assert _count(client, url) == few
    assert _count(client, url, {"activity": activity.pk, "region": "110100", "theme": theme.pk,
                                "date_from": "2026-01-01"}) == filtered_few


def test_dashboard_runs_a_fixed_number_of_queries(client, theme, django_assert_num_queries):
    client.force_login(StaffFactory())
    url = reverse("feedback:dashboard")
    client.get(url)
    # session + user, 3 for the filter choices, 11 for the figures, lists and chart series:
    # which days are rolled up (1), feedback rollups + rows (2), signup rollups + rows (2),
    # pending cases (1), sessions, fill rate, applications, two overdue lists (5), and the
    # officer programme: its reports' figures and overdue report cases (2); the regions'
    # table (its feedback sums come with the feedback rollups and rows): signup rollups +
    # rows, sessions, pending feedback cases and overdue GM-reception cases (5), its names
    # (1); open escalated cases, feedback and GM reception (2)
    with django_assert_num_queries(25):
        assert client.get(url).status_code == 200
