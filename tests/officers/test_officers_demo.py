"""The demo shows the programme in use: two tasks, reports in every state; idempotent."""

import pytest
from django.core.management import call_command

from feedback.officers.models import ExperienceReport, ExperienceTask

pytestmark = pytest.mark.django_db


def load():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_tasks_and_reports_in_every_state():
    load()
    assert ExperienceTask.objects.filter(published_at__isnull=False).count() == 2
    states = set(ExperienceReport.objects.values_list("status", flat=True))
    assert states == {"draft", "submitted", "returned", "accepted"}
    accepted = ExperienceReport.objects.get(status="accepted")
    assert accepted.points_awarded == accepted.task.points
    assert ExperienceReport.objects.get(status="submitted").images.count() == 1
    load()
    assert ExperienceReport.objects.count() == 4 and ExperienceTask.objects.count() == 2
