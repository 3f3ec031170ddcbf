"""A session never holds more confirmed places than it has, companions included."""

import datetime

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from campaigns import services
from campaigns.models import AuditEntry, Session, Signup
from tests.factories import SessionFactory, SignupFactory

pytestmark = pytest.mark.django_db


def test_signup_takes_one_place_plus_companions(db):
    session = SessionFactory(capacity=10)
    signup = SignupFactory(session=session, companions=3)
    session.refresh_from_db()
    assert signup.status == Signup.Status.CONFIRMED
    assert session.places_taken == 4
    assert session.places_left == 6
    assert len(signup.reference) == 8
    assert signup.privacy_version == "2026-11-26" and signup.consent_at is not None


def test_last_place_goes_to_the_first_and_the_next_person_waits(db):
    session = SessionFactory(capacity=2)
    first = SignupFactory(session=session, companions=1)
    second = SignupFactory(session=session)
    session.refresh_from_db()
    assert first.status == Signup.Status.CONFIRMED
    assert second.status == Signup.Status.WAITLISTED
    assert second.waitlist_position == 1
    assert session.places_taken == 2


def test_party_that_does_not_fit_the_places_left_waits(db):
    session = SessionFactory(capacity=5)
    SignupFactory(session=session, companions=2)
    big = SignupFactory(session=session, companions=3)
    session.refresh_from_db()
    assert big.status == Signup.Status.WAITLISTED
    assert session.places_taken == 3


def test_full_session_without_waitlist_says_full_and_writes_nothing(db):
    session = SessionFactory(capacity=1, waitlist_enabled=False)
    SignupFactory(session=session)
    with pytest.raises(services.SessionFull, match="已满"):
        SignupFactory(session=session)
    assert Signup.objects.filter(session=session).count() == 1
    session.refresh_from_db()
    assert session.places_taken == 1


def test_waitlist_limit_reached_says_full(db):
    session = SessionFactory(capacity=1, waitlist_limit=1)
    SignupFactory(session=session)
    SignupFactory(session=session)
    with pytest.raises(services.SessionFull):
        SignupFactory(session=session)
    session = Session.objects.select_related("activity").get(pk=session.pk)
    assert session.state() == Session.State.FULL


def test_party_bigger_than_the_session_is_refused(db):
    session = SessionFactory(capacity=3)
    with pytest.raises(services.SessionFull, match="无法容纳 5 人"):
        SignupFactory(session=session, companions=4)
    assert not Signup.objects.exists()


def test_same_phone_twice_gets_a_friendly_message_not_a_duplicate(db):
    session = SessionFactory()
    SignupFactory(session=session, phone="13812345678")
    with pytest.raises(services.AlreadySignedUp, match="我的报名"):
        SignupFactory(session=session, phone="13812345678")
    assert Signup.objects.filter(phone="13812345678").count() == 1
    session.refresh_from_db()
    assert session.places_taken == 1


def test_same_phone_can_sign_up_again_after_cancelling(db):
    session = SessionFactory()
    first = SignupFactory(session=session, phone="13812345678")
    services.signup_cancel(signup=first)
    again = SignupFactory(session=session, phone="13812345678")
    assert again.status == Signup.Status.CONFIRMED


def test_database_refuses_a_second_active_signup_for_a_phone(db):
    signup = SignupFactory(phone="13812345678")
    duplicate = Signup(
        session=signup.session, phone="13812345678", name="x", reference="QQQQQQQQ",
        secret_hash="0" * 64, consent_at=timezone.now(), privacy_version="2026-11",
    )
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_database_refuses_more_places_taken_than_capacity(db):
    session = SessionFactory(capacity=2)
    with pytest.raises(IntegrityError):
        Session.objects.filter(pk=session.pk).update(places_taken=3)


@pytest.mark.parametrize(
    ("opens", "closes", "starts", "message"),
    [
        (1, 10, 20, "报名尚未开始"),
        (-10, -1, 20, "报名已截止"),
        (-10, 10, -1, "已开始或已结束"),
    ],
)
def test_signup_window_is_enforced(db, opens, closes, starts, message):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    session = SessionFactory(
        activity__signup_opens_at=now + opens * day,
        activity__signup_closes_at=now + closes * day,
        starts_at=now + starts * day,
    )
    with pytest.raises(services.NotBookable, match=message):
        SignupFactory(session=session)
    assert not Signup.objects.exists()
    session.refresh_from_db()
    assert session.places_taken == 0


def test_signup_is_recorded_in_the_audit_log(db):
    signup = SignupFactory()
    entry = AuditEntry.objects.get(object_id=signup.pk, action="signup.create")
    assert entry.actor is None and entry.to_state == "confirmed"
    assert entry.target == signup


def test_sqlite_takes_the_write_lock_when_a_transaction_starts():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
