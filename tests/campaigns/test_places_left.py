"""What a visitor is told about each session: places left, full, waiting list, closed."""

import datetime

import pytest
from django.utils import timezone

from campaigns.models import Session
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("capacity", "taken", "left", "state"),
    [
        (30, 0, 30, Session.State.OPEN),
        (30, 26, 4, Session.State.OPEN),
        (30, 27, 3, Session.State.FEW_LEFT),
        (30, 29, 1, Session.State.FEW_LEFT),
        (30, 30, 0, Session.State.WAITLIST),
        # A reception slot of one place is simply open, not "few left".
        (1, 0, 1, Session.State.OPEN),
        (3, 2, 1, Session.State.OPEN),
    ],
)
def test_places_left_and_state(capacity, taken, left, state):
    session = SessionFactory(capacity=capacity, places_taken=taken)
    assert session.places_left == left
    assert session.state() == state


def test_full_session_without_waiting_list_is_full():
    session = SessionFactory(capacity=5, places_taken=5, waitlist_enabled=False)
    assert session.state() == Session.State.FULL


def test_past_session_is_closed_even_with_places():
    start = timezone.now() - datetime.timedelta(days=1)
    session = SessionFactory(starts_at=start, capacity=30)
    assert session.state() == Session.State.CLOSED


def test_signup_window_decides_before_places():
    now = timezone.now()
    session = SessionFactory(activity__signup_opens_at=now + datetime.timedelta(days=1))
    assert session.state(now) == Session.State.NOT_OPEN
    assert session.state(now + datetime.timedelta(days=2)) == Session.State.OPEN
    session.activity.signup_closes_at = now + datetime.timedelta(days=3)
    assert session.state(now + datetime.timedelta(days=3)) == Session.State.CLOSED


def test_page_shows_places_left_and_full_sessions(client):
    open_session = SessionFactory(capacity=30, places_taken=12)
    SessionFactory(activity=open_session.activity, capacity=25, places_taken=25)
    page = client.get(open_session.activity.get_absolute_url()).content.decode()
    assert "剩余 18 个名额" in page
    assert "已满，可候补" in page
