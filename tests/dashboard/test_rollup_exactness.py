"""Whatever the data and whatever has been rolled up, the dashboard shows exactly the figures
that the feedback and signup rows give (tests/dashboard/raw_figures.py, the pre-rollup queries)."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import Activity, Signup
from campaigns.regions import NATIONAL, Scope
from feedback.models import Feedback, FeedbackDayStats, RollupDay, SignupDayStats
from feedback.reporting import rollups
from feedback.reporting.filters import DashboardFilters
from feedback.reporting.selectors import dashboard
from tests.dashboard import raw_figures as raw
from tests.factories import (
    ActivityFactory,
    FeedbackFactory,
    SessionFactory,
    SignupFactory,
    city,
    region,
)

pytestmark = pytest.mark.django_db

DAYS = 10  # feedback and signups from today back to DAYS - 1 days ago
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SCORE = st.integers(1, 10)
DIMENSION = st.one_of(st.none(), SCORE)

FEEDBACK = st.fixed_dictionaries(
    {
        "days_ago": st.integers(0, DAYS - 1),
        "minute": st.integers(0, 24 * 60 - 1),
        "activity": st.integers(0, 3),  # 3: no activity (the campaign as a whole)
        "theme": st.integers(0, 1),
        "kind": st.sampled_from(Feedback.Kind.values),
        "state": st.sampled_from(Feedback.State.values),
        "overall": SCORE,
        "recommend": st.integers(0, 10),
        "dimensions": st.lists(DIMENSION, min_size=8, max_size=8),
        # no case / answered on time / late / not answered
        "reply": st.sampled_from(["none", "on_time", "late", "open"]),
    }
)
SIGNUP = st.fixed_dictionaries(
    {
        "days_ago": st.integers(0, DAYS - 1),
        "minute": st.integers(0, 24 * 60 - 1),
        "session": st.integers(0, 2),  # open-day sessions (a reception needs its issue)
        "status": st.sampled_from(Signup.Status.values),
    }
)
# What happened to each past day since the rollups were built.
DAY_STATE = st.sampled_from(["built", "stale", "unbuilt"])
FILTERS = st.fixed_dictionaries(
    {
        "activity": st.one_of(st.none(), st.integers(0, 2)),
        "kind": st.sampled_from(["", Activity.Kind.OPEN_DAY, Activity.Kind.GM_RECEPTION]),
        "theme": st.one_of(st.none(), st.integers(0, 1)),
        # A city or a province (110000: Beijing's), and the staff member's scope.
        "region": st.sampled_from(["", "110100", "310100", "110000"]),
        "scope": st.sampled_from(["national", "110100", "310000"]),
        "date_from": st.one_of(st.none(), st.integers(0, DAYS)),
        "date_to": st.one_of(st.none(), st.integers(-1, DAYS)),
    }
)


@pytest.fixture
def world(theme, other_theme):
    """Two themes, three activities (two kinds: one national, one Beijing's, one in Shanghai),
    four sessions in two cities; feedback without an activity is national."""
    open_day = ActivityFactory(campaign=theme.campaign, kind=Activity.Kind.OPEN_DAY)
    reception = ActivityFactory(campaign=theme.campaign, kind=Activity.Kind.GM_RECEPTION,
                                region=city("北京"))
    other = ActivityFactory(campaign=theme.campaign, kind=Activity.Kind.OPEN_DAY,
                            region=region("310000"))
    open_day.themes.add(theme)
    reception.themes.add(other_theme)
    other.themes.add(theme, other_theme)
    sessions = [
        SessionFactory(activity=open_day, city="北京", capacity=2),
        SessionFactory(activity=open_day, city="上海", capacity=50),
        SessionFactory(activity=other, city="上海", capacity=50),
        SessionFactory(activity=reception, city="北京", capacity=50),
    ]
    return {
        "themes": [theme, other_theme],
        "activities": [open_day, reception, other, None],
        "sessions": sessions,
    }


def _at(now, days_ago: int, minute: int) -> datetime.datetime:
    day = timezone.localdate(now) - datetime.timedelta(days=days_ago)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return min(moment + datetime.timedelta(minutes=minute), now)


def _feedback(world, spec, now):
    created = _at(now, spec["days_ago"], spec["minute"])
    due = replied = None
    if spec["reply"] != "none":
        due = created + datetime.timedelta(hours=48)
        replied = {
            "on_time": created + datetime.timedelta(hours=1),
            "late": created + datetime.timedelta(hours=60),
            "open": None,
        }[spec["reply"]]
    dimensions = dict(
        zip(
            (
                "score_network", "score_billing", "score_usability", "score_attitude",
                "score_expertise", "score_efficiency", "score_resolution", "score_organisation",
            ),
            spec["dimensions"],
            strict=True,
        )
    )
    FeedbackFactory(
        theme=world["themes"][spec["theme"]],
        activity=world["activities"][spec["activity"]],
        kind=spec["kind"],
        state=spec["state"],
        rejection_reason="广告" if spec["state"] == Feedback.State.REJECTED else "",
        overall_score=spec["overall"],
        recommend_score=spec["recommend"],
        created_at=created,
        reply_due_at=due,
        first_replied_at=replied,
        **dimensions,
    )


def _signup(world, spec, now):
    signup = SignupFactory(session=world["sessions"][spec["session"]])
    signup.status = spec["status"]
    signup.created_at = _at(now, spec["days_ago"], spec["minute"])
    signup.save(update_fields=["status", "created_at"])


def _filters(world, spec, now) -> DashboardFilters:
    today = timezone.localdate(now)
    return DashboardFilters(
        activity=None if spec["activity"] is None else world["activities"][spec["activity"]],
        kind=spec["kind"],
        theme=None if spec["theme"] is None else world["themes"][spec["theme"]],
        region=region(spec["region"]) if spec["region"] else None,
        scope=NATIONAL if spec["scope"] == "national" else Scope(
            level="province" if spec["scope"].endswith("0000") else "city",
            codes=(spec["scope"],),
        ),
        date_from=None if spec["date_from"] is None
        else today - datetime.timedelta(days=spec["date_from"]),
        date_to=None if spec["date_to"] is None
        else today - datetime.timedelta(days=spec["date_to"]),
    )


def _reset():
    Feedback.objects.all().delete()
    Signup.objects.all().delete()
    FeedbackDayStats.objects.all().delete()
    SignupDayStats.objects.all().delete()
    RollupDay.objects.all().delete()


@EXAMPLES
@given(
    feedback=st.lists(FEEDBACK, max_size=25),
    signups=st.lists(SIGNUP, max_size=12),
    day_states=st.lists(DAY_STATE, min_size=DAYS, max_size=DAYS),
    late_feedback=st.lists(FEEDBACK, max_size=4),
    move_session=st.booleans(),
    filter_sets=st.lists(FILTERS, min_size=1, max_size=3),
)
def test_dashboard_figures_equal_the_raw_aggregates(
    world, feedback, signups, day_states, late_feedback, move_session, filter_sets
):
    _reset()
    now = timezone.now()
    for spec in feedback:
        _feedback(world, spec, now)
    for spec in signups:
        _signup(world, spec, now)
    rollups.rollup_all(now=now)
    today = timezone.localdate(now)
    for days_ago, state in enumerate(day_states):
        day = today - datetime.timedelta(days=days_ago)
        if state == "stale":
            for rollup in rollups.ROLLUPS:
                rollups.rows_changed(rollup.subject, [day])
        elif state == "unbuilt":
            RollupDay.objects.filter(day=day).delete()
    for spec in late_feedback:  # added after the build: their days are stale now
        _feedback(world, spec, now)
    session = world["sessions"][0]
    session.region = city("上海" if move_session else "北京")  # its signups change city
    session.save()

    for spec in filter_sets:
        filters = _filters(world, spec, now)
        board = dashboard(filters, now=now)
        assert board.feedback == raw.raw_feedback_figures(filters, now=now)
        assert board.distribution == raw.raw_satisfaction_distribution(filters)
        assert board.weeks == raw.raw_nps_by_week(filters)
        assert board.theme_dimensions == raw.raw_dimensions_by_theme(filters)
        assert board.signups == raw.raw_signup_figures(filters)
        assert board.days == raw.raw_signups_by_day(filters)
