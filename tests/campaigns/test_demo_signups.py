"""The demo's taken places come from real signups, and loading it twice changes nothing."""

import pytest

from campaigns.demo import load_demo
from campaigns.models import AuditEntry, OfficerApplication, ReceptionCase, Session, Signup

pytestmark = pytest.mark.django_db


def snapshot():
    sessions = {
        (s.activity.slug, s.title): (s.capacity, s.places_taken)
        for s in Session.objects.select_related("activity")
    }
    signups = sorted(Signup.objects.values_list("session_id", "phone", "status", "companions"))
    cases = sorted(ReceptionCase.objects.values_list("signup__phone", "status", "outcome"))
    applications = sorted(OfficerApplication.objects.values_list("phone", "status"))
    return sessions, signups, cases, applications, AuditEntry.objects.count()


def test_places_taken_match_the_signups_and_a_second_load_changes_nothing():
    load_demo(staff_password="x-demo-password")
    first = snapshot()
    load_demo(staff_password="x-demo-password")
    assert snapshot() == first

    for session in Session.objects.all():
        held = sum(s.places for s in session.signups.filter(status__in=Signup.HOLDS_PLACE))
        assert session.places_taken == held


def test_demo_has_a_full_session_with_a_waiting_list_cases_and_applications():
    load_demo(staff_password="x-demo-password")
    full = Session.objects.get(activity__slug="10086-one-day", title="上午场")
    assert full.places_left == 0
    assert full.signups.filter(status=Signup.Status.WAITLISTED).count() == 3
    cases = list(ReceptionCase.objects.all())
    assert any(c.outcome_visible for c in cases)
    assert any(c.is_overdue() for c in cases)
    statuses = set(OfficerApplication.objects.values_list("status", flat=True))
    assert statuses == {"pending", "accepted", "rejected", "reserve"}
    past = Session.objects.get(title="往期场次")
    assert past.signups.filter(status=Signup.Status.ATTENDED).exists()
    assert past.signups.filter(status=Signup.Status.NO_SHOW).exists()
