"""When a place frees up, the waiting list moves in order, and everyone is told."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from campaigns import services
from campaigns.models import AuditEntry, Signup
from tests.factories import SessionFactory, SignupFactory, StaffFactory

pytestmark = pytest.mark.django_db


def refreshed(*signups):
    return [Signup.objects.get(pk=s.pk) for s in signups]


def test_cancelling_a_place_promotes_the_first_waiting_person(django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=1)
    confirmed = SignupFactory(session=session)
    first = SignupFactory(session=session, email="first@example.com")
    second = SignupFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_cancel(signup=confirmed)
    confirmed, first, second = refreshed(confirmed, first, second)
    assert confirmed.status == Signup.Status.CANCELLED
    assert first.status == Signup.Status.CONFIRMED and first.promoted_at
    assert second.status == Signup.Status.WAITLISTED and second.waitlist_position == 1
    session.refresh_from_db()
    assert session.places_taken == 1
    assert [m.to for m in mail.outbox] == [["first@example.com"]]
    assert "递补成功" in mail.outbox[0].body
    assert mail.outbox[0].attachments[0][0].endswith(".ics")


def test_a_party_that_does_not_fit_keeps_its_place_and_the_next_that_fits_moves_up():
    session = SessionFactory(capacity=2)
    holder = SignupFactory(session=session)
    SignupFactory(session=session)
    big = SignupFactory(session=session, companions=1)  # needs 2 places
    small = SignupFactory(session=session)
    services.signup_cancel(signup=holder)  # frees 1 place
    big, small = refreshed(big, small)
    assert big.status == Signup.Status.WAITLISTED and big.waitlist_position == 1
    assert small.status == Signup.Status.CONFIRMED


def test_promotion_follows_the_order_people_joined():
    session = SessionFactory(capacity=2)
    a = SignupFactory(session=session)
    b = SignupFactory(session=session)
    waiting = [SignupFactory(session=session) for _ in range(3)]
    services.signup_cancel(signup=a)
    services.signup_cancel(signup=b)
    waiting = refreshed(*waiting)
    assert [w.status for w in waiting] == ["confirmed", "confirmed", "waitlisted"]


def test_leaving_the_waiting_list_moves_the_others_up_without_freeing_a_place():
    session = SessionFactory(capacity=1)
    SignupFactory(session=session)
    first = SignupFactory(session=session)
    second = SignupFactory(session=session)
    assert second.waitlist_position == 2
    services.signup_cancel(signup=first)
    (second,) = refreshed(second)
    assert second.waitlist_position == 1
    session.refresh_from_db()
    assert session.places_taken == 1


def test_every_move_is_recorded():
    session = SessionFactory(capacity=1)
    holder = SignupFactory(session=session)
    waiting = SignupFactory(session=session)
    staff = StaffFactory()
    services.signup_cancel(signup=holder, actor=staff, reason="客户来电取消")
    actions = list(
        AuditEntry.objects.order_by("id").values_list("action", "object_id", "from_state",
                                                      "to_state")
    )
    assert actions == [
        ("signup.create", holder.pk, "", "confirmed"),
        ("signup.create", waiting.pk, "", "waitlisted"),
        ("signup.cancel", holder.pk, "confirmed", "cancelled"),
        ("signup.promote", waiting.pk, "waitlisted", "confirmed"),
    ]
    cancel = AuditEntry.objects.get(action="signup.cancel")
    assert cancel.actor == staff and cancel.reason == "客户来电取消"


def test_staff_cannot_confirm_someone_behind_an_entry_that_fits():
    session = SessionFactory(capacity=1)
    holder = SignupFactory(session=session)
    first = SignupFactory(session=session)
    second = SignupFactory(session=session)
    staff = StaffFactory()
    with pytest.raises(services.SessionFull):
        services.signup_confirm(signup=first, actor=staff)
    # Make room without promoting (capacity raised by staff), then try to jump the queue.
    session.capacity = 2
    session.save(update_fields=["capacity"])
    with pytest.raises(services.SignupError, match="不能插队"):
        services.signup_confirm(signup=second, actor=staff)
    services.signup_confirm(signup=first, actor=staff)
    first, second, holder = refreshed(first, second, holder)
    assert first.status == Signup.Status.CONFIRMED and second.status == Signup.Status.WAITLISTED


def test_raising_capacity_then_promoting_fills_from_the_list():
    session = SessionFactory(capacity=1)
    SignupFactory(session=session)
    waiting = [SignupFactory(session=session) for _ in range(2)]
    session.capacity = 3
    session.save(update_fields=["capacity"])
    promoted = services.waitlist_promote(session=session, actor=StaffFactory())
    assert {p.pk for p in promoted} == {w.pk for w in waiting}


def test_nobody_is_promoted_once_the_session_has_started():
    session = SessionFactory(capacity=1)
    holder = SignupFactory(session=session)
    waiting = SignupFactory(session=session)
    later = session.starts_at + datetime.timedelta(minutes=5)
    services.signup_cancel(signup=holder, actor=StaffFactory(), now=later)
    (waiting,) = refreshed(waiting)
    assert waiting.status == Signup.Status.WAITLISTED


def test_people_cannot_cancel_online_after_the_start():
    session = SessionFactory(capacity=2)
    signup = SignupFactory(session=session)
    with pytest.raises(services.SignupError, match="活动已开始"):
        services.signup_cancel(signup=signup, now=session.starts_at + datetime.timedelta(hours=1))
    assert Signup.objects.get(pk=signup.pk).status == Signup.Status.CONFIRMED


def test_attendance_is_recorded_on_the_day():
    session = SessionFactory()
    signup = SignupFactory(session=session)
    staff = StaffFactory()
    with pytest.raises(services.SignupError, match="活动当天"):
        services.signup_mark_attendance(signup=signup, actor=staff, attended=True)
    on_the_day = session.starts_at
    services.signup_mark_attendance(signup=signup, actor=staff, attended=False, now=on_the_day)
    assert Signup.objects.get(pk=signup.pk).status == Signup.Status.NO_SHOW
    session.refresh_from_db()
    assert session.places_taken == 1  # a no-show still had the place
    assert timezone.is_aware(AuditEntry.objects.get(action="signup.attendance").created_at)
