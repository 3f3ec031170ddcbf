"""Rule: reports count days as local calendar days in Asia/Shanghai, whatever the database's
zone.

Home: feedback/reporting/days.py. Feedback and a signup made at 2026-11-25 16:30 UTC
(2026-11-26 00:30 in Beijing) belong to 11-26 in the dashboard's date filter, its per-day
and per-week series, the rollups and the export, read from the rows or from the rollups.
"""

import datetime

import pytest
from django.utils import timezone

from campaigns.services import signup_create
from feedback.models import FeedbackDayStats, RollupDay, SignupDayStats
from feedback.reporting import rollups
from feedback.reporting.days import day_start, local_day
from feedback.reporting.exporters import FeedbackExporter
from feedback.reporting.filters import DashboardFilters
from feedback.reporting.selectors import dashboard
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
CREATED = datetime.datetime(2026, 11, 25, 16, 30, tzinfo=UTC)  # 2026-11-26 00:30 Beijing
DAY = datetime.date(2026, 11, 26)
DAY_BEFORE = datetime.date(2026, 11, 25)
LATER = datetime.datetime(2026, 11, 28, 4, 0, tzinfo=UTC)  # 11-26 and 11-27 have settled


@pytest.fixture
def made_after_local_midnight(submit, activity):
    session = SessionFactory(
        activity=activity, starts_at=CREATED + datetime.timedelta(days=7),
        ends_at=CREATED + datetime.timedelta(days=7, hours=2),
    )
    activity.signup_opens_at = CREATED - datetime.timedelta(days=5)
    activity.signup_closes_at = CREATED + datetime.timedelta(days=30)
    activity.save()
    submit(now=CREATED)
    signup_create(session=session, name="王小明", phone="13812345678", rules_accepted=True,
                  now=CREATED)


def build_rollups():
    rollups.rollup_all(now=LATER)
    fresh = set(RollupDay.objects.filter(day=DAY).values_list("subject", flat=True))
    assert fresh == {"feedback", "signups"}
    assert all(day.fresh for day in RollupDay.objects.filter(day=DAY))


def counted_on(filters) -> dict:
    board = dashboard(filters, now=LATER)
    return {"feedback": board.feedback.received, "signups": board.signups.total,
            "days": board.days}


def test_the_instant_is_on_the_26th_in_beijing():
    assert local_day(CREATED) == DAY
    assert day_start(DAY) <= CREATED < day_start(DAY + datetime.timedelta(days=1))


@pytest.mark.parametrize("rolled_up", [False, True], ids=["from rows", "from rollups"])
def test_the_dashboard_counts_it_on_the_26th_not_the_25th(made_after_local_midnight, rolled_up):
    if rolled_up:
        build_rollups()
    assert counted_on(DashboardFilters(date_from=DAY)) == {
        "feedback": 1, "signups": 1, "days": [(DAY, 1)]
    }
    assert counted_on(DashboardFilters(date_from=DAY, date_to=DAY)) == {
        "feedback": 1, "signups": 1, "days": [(DAY, 1)]
    }
    assert counted_on(DashboardFilters(date_to=DAY_BEFORE)) == {
        "feedback": 0, "signups": 0, "days": []
    }


@pytest.mark.parametrize("rolled_up", [False, True], ids=["from rows", "from rollups"])
def test_the_26th_stays_the_26th_whatever_time_zone_is_active(
    made_after_local_midnight, rolled_up
):
    with timezone.override("UTC"):
        if rolled_up:
            build_rollups()
        assert counted_on(DashboardFilters(date_from=DAY, date_to=DAY)) == {
            "feedback": 1, "signups": 1, "days": [(DAY, 1)]
        }


def test_the_rollup_rows_are_filed_under_the_26th(made_after_local_midnight):
    build_rollups()
    assert list(FeedbackDayStats.objects.values_list("day", flat=True)) == [DAY]
    assert list(SignupDayStats.objects.values_list("day", flat=True)) == [DAY]


def test_the_export_filtered_on_the_26th_lists_it_at_local_time(made_after_local_midnight):
    exporter = FeedbackExporter(filters=DashboardFilters(date_from=DAY, date_to=DAY))
    (row,) = list(exporter.rows())
    assert row[exporter.headers().index("提交时间")] == datetime.datetime(2026, 11, 26, 0, 30)
    assert list(FeedbackExporter(filters=DashboardFilters(date_to=DAY_BEFORE)).rows()) == []


@pytest.mark.parametrize("rolled_up", [False, True], ids=["from rows", "from rollups"])
def test_sunday_evening_utc_is_a_monday_rating_in_the_weekly_chart(submit, rolled_up):
    # Sunday 2026-11-22 16:30 UTC is Monday 2026-11-23 00:30 in Beijing: a new week.
    submit(now=datetime.datetime(2026, 11, 22, 16, 30, tzinfo=UTC))
    if rolled_up:
        rollups.rollup_days(rollups.FEEDBACK, now=LATER)
        assert RollupDay.objects.get(subject="feedback", day=datetime.date(2026, 11, 23)).fresh
    weeks = dashboard(DashboardFilters(), now=LATER).weeks
    assert [(row.week, row.ratings) for row in weeks] == [(datetime.date(2026, 11, 23), 1)]
