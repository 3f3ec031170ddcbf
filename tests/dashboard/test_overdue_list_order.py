"""The dashboard's overdue list says "earliest deadline first" and means it: feedback cases
and GM-reception cases are one list, ordered by their deadline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import ReceptionCase
from tests.factories import FeedbackFactory, ReceptionSignupFactory

pytestmark = pytest.mark.django_db


def test_reception_and_feedback_cases_are_listed_by_deadline(as_user, manager, theme):
    now, day = timezone.now(), datetime.timedelta(days=1)
    later = FeedbackFactory(theme=theme, kind="complaint", created_at=now - 3 * day,
                            reply_due_at=now - datetime.timedelta(hours=2))
    earliest = FeedbackFactory(theme=theme, kind="complaint", created_at=now - 5 * day,
                               reply_due_at=now - 3 * day)
    signup = ReceptionSignupFactory()
    ReceptionCase.objects.filter(signup=signup).update(
        first_reply_due_at=now - day
    )
    page = as_user(manager).get(reverse("feedback:dashboard")).content.decode()
    section = page[page.index('id="fig-overdue"'):]
    positions = [section.index(ref) for ref in (earliest.reference,
                                                signup.reference_display, later.reference)]
    assert positions == sorted(positions)
