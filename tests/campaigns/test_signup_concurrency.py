"""Under a rush of simultaneous signups a session is never overbooked (PostgreSQL).

Real threads, each with its own database connection, in a TransactionTestCase-style test
(`transaction=True`): a plain TestCase would run everything in one transaction and hide races.
The control runs the same harness against a deliberately unguarded read-then-write and shows
that the harness does catch overselling.
"""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from campaigns import services
from campaigns.models import Session, Signup
from tests.factories import SessionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CAPACITY = 10
ATTEMPTS = 50


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (CI runs the suite there too)")


def _rush(signup_one, attempts=ATTEMPTS):
    """Start `attempts` threads together; each signs up one phone number on its own connection."""
    barrier = threading.Barrier(attempts)
    outcomes, errors = [], []
    lock = threading.Lock()

    def worker(index):
        try:
            barrier.wait(timeout=30)
            result = signup_one(f"139{index:08d}", barrier)
            with lock:
                outcomes.append(result)
        except Exception as exc:  # collected and asserted on below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes, errors


def test_fifty_simultaneous_signups_fill_a_ten_place_session_exactly():
    session = SessionFactory(capacity=CAPACITY, waitlist_enabled=False)

    def signup_one(phone, _barrier):
        try:
            return services.signup_create(session=session, name="并发", phone=phone,
                                          rules_accepted=True).status
        except services.SessionFull:
            return "full"

    outcomes, errors = _rush(signup_one)

    assert errors == []
    assert outcomes.count(Signup.Status.CONFIRMED) == CAPACITY
    assert outcomes.count("full") == ATTEMPTS - CAPACITY
    session.refresh_from_db()
    assert session.places_taken == CAPACITY
    confirmed = Signup.objects.filter(session=session, status=Signup.Status.CONFIRMED)
    assert confirmed.count() == CAPACITY


def test_simultaneous_signups_beyond_capacity_all_join_the_waiting_list_in_order():
    session = SessionFactory(capacity=CAPACITY)

    def signup_one(phone, _barrier):
        return services.signup_create(session=session, name="并发", phone=phone,
                                      rules_accepted=True).status

    outcomes, errors = _rush(signup_one)

    assert errors == []
    assert outcomes.count(Signup.Status.CONFIRMED) == CAPACITY
    assert outcomes.count(Signup.Status.WAITLISTED) == ATTEMPTS - CAPACITY
    session.refresh_from_db()
    assert session.places_taken == CAPACITY


def _unguarded_signup(session_id, phone, barrier):
    """What NOT to do: read the free places, then write, without a conditional update."""
    with transaction.atomic():
        session = Session.objects.get(pk=session_id)
        has_room = session.places_taken < session.capacity
        barrier.wait(timeout=30)  # everyone has read before anyone writes
        if not has_room:
            return "full"
        Session.objects.filter(pk=session_id).update(places_taken=session.places_taken + 1)
        Signup.objects.create(
            session_id=session_id, name="并发", phone=phone, reference=phone[-8:],
            secret_hash=phone.rjust(64, "0"), consent_at=session.starts_at,
            privacy_version="2026-11", status=Signup.Status.CONFIRMED,
        )
        return Signup.Status.CONFIRMED


def test_control_the_harness_catches_an_unguarded_read_then_write():
    session = SessionFactory(capacity=CAPACITY, waitlist_enabled=False)
    second_barrier = threading.Barrier(ATTEMPTS)

    def signup_one(phone, _barrier):
        try:
            return _unguarded_signup(session.pk, phone, second_barrier)
        except IntegrityError:
            return "constraint"

    outcomes, errors = _rush(signup_one)

    assert errors == []
    confirmed = Signup.objects.filter(session=session, status=Signup.Status.CONFIRMED).count()
    session.refresh_from_db()
    # The unguarded version sells more places than exist (the counter even loses updates),
    # or the check constraint stops it: either way the harness sees the race.
    assert confirmed > CAPACITY or "constraint" in outcomes
    assert confirmed != session.places_taken or confirmed > CAPACITY


def test_cancellations_racing_new_signups_keep_the_counter_and_the_queue_right():
    """5 people cancel while 20 new people sign up, all at once: no deadlock, the counter
    equals the places actually held, and the freed places went to the waiting list first."""
    session = SessionFactory(capacity=CAPACITY)
    holders = [
        services.signup_create(session=session, name="已报名", phone=f"1380000{n:04d}",
                               rules_accepted=True)
        for n in range(CAPACITY)
    ]
    waiting = [
        services.signup_create(session=session, name="候补", phone=f"1370000{n:04d}",
                               rules_accepted=True)
        for n in range(5)
    ]
    assert {w.status for w in waiting} == {Signup.Status.WAITLISTED}
    cancelling = {f"139{i:08d}": holders[i] for i in range(5)}

    def act(phone, _barrier):
        if phone in cancelling:
            return services.signup_cancel(signup=cancelling[phone]).status
        return services.signup_create(session=session, name="并发", phone=phone,
                                      rules_accepted=True).status

    outcomes, errors = _rush(act, attempts=25)

    assert errors == []
    session.refresh_from_db()
    held = Signup.objects.filter(session=session, status__in=Signup.HOLDS_PLACE)
    assert session.places_taken == sum(s.places for s in held) == CAPACITY
    # The five freed places went to the five people who were already waiting.
    assert set(
        Signup.objects.filter(pk__in=[w.pk for w in waiting]).values_list("status", flat=True)
    ) == {Signup.Status.CONFIRMED}
    assert outcomes.count(Signup.Status.WAITLISTED) == 20
