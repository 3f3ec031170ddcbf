"""The demo feedback covers the loop and loading it twice gives the same rows."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from feedback.models import Feedback, FeedbackEvent, Reply, ReplyTemplate
from feedback.selectors import commitment_scoreboard, overdue_cases

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(Feedback.objects.values_list("reference", "state", "overall_score", "kind")),
        sorted(Reply.objects.values_list("feedback__reference", "kind", "body")),
        sorted(FeedbackEvent.objects.values_list("feedback__reference", "action", "to_state")),
        sorted(ReplyTemplate.objects.values_list("title", flat=True)),
    )


def test_demo_feedback_is_idempotent_and_tells_the_story(demo_data, client):
    first = _snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == first

    now = timezone.now()
    assert [f.reference for f in overdue_cases(now=now)] == ["DEME2345"]
    past = Feedback.objects.filter(activity__slug="5g-network-brain")
    assert past.filter(overall_score__lte=6).exists()
    assert Feedback.objects.filter(kind="complaint", first_replied_at__isnull=False).count() >= 2
    assert Feedback.objects.filter(closed_at__isnull=False).exists()
    assert commitment_scoreboard(now=now, campaign=None)[-1].decided >= 3

    wall = client.get("/feedback/").content.decode()
    assert "13812345678" not in wall and "138****5678" in wall
    assert client.get("/activities/5g-network-brain/").status_code == 200
