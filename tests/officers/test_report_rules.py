"""Who may report on a task, when, and how many times."""

import datetime

import pytest
from django.utils import timezone

from campaigns.models import OfficerApplication
from feedback.officers import selectors, services
from feedback.officers.admin import ExperienceTaskForm
from feedback.officers.models import ExperienceReport, ExperienceTask
from tests.factories import ExperienceTaskFactory, OfficerApplicationFactory, OfficerFactory

from .conftest import FINDINGS

pytestmark = pytest.mark.django_db


def save(task, officer, **kwargs):
    return services.report_save(task=task, officer=officer, data=FINDINGS, **kwargs)


def test_an_officer_reports_on_an_open_task(task, officer):
    report = save(task, officer)
    assert report.status == ExperienceReport.Status.DRAFT
    assert report.scores == {"score_network": 4, "score_usability": None}


@pytest.mark.parametrize("when", ["before", "after", "unpublished"])
def test_no_report_outside_the_window_or_before_publication(officer, task, when):
    now = timezone.now()
    if when == "before":
        ExperienceTask.objects.filter(pk=task.pk).update(opens_at=now + datetime.timedelta(hours=1))
    elif when == "after":
        ExperienceTask.objects.filter(pk=task.pk).update(opens_at=now - datetime.timedelta(days=9),
                                                         closes_at=now)
    else:
        ExperienceTask.objects.filter(pk=task.pk).update(published_at=None)
    task.refresh_from_db()
    with pytest.raises(services.OfficerError) as refused:
        save(task, officer)
    assert refused.value.code == "closed"
    assert task not in selectors.open_tasks_for(officer)


def test_a_pending_applicant_is_not_an_officer(task):
    pending = OfficerApplicationFactory(activity=task.programme)
    assert pending.status == OfficerApplication.Status.PENDING
    with pytest.raises(services.OfficerError) as refused:
        save(task, pending)
    assert refused.value.code == "not_officer"


def test_a_city_task_is_only_for_that_citys_officers(officer):
    shanghai = ExperienceTaskFactory(programme=officer.activity,
                                     audience=ExperienceTask.Audience.CITIES, cities=["上海"])
    with pytest.raises(services.OfficerError) as refused:
        save(shanghai, officer)
    assert refused.value.code == "not_targeted"
    assert shanghai not in selectors.open_tasks_for(officer)
    shanghai_officer = OfficerFactory(activity=officer.activity, city="上海")
    assert shanghai in selectors.open_tasks_for(shanghai_officer)
    save(shanghai, shanghai_officer)


def test_a_task_for_chosen_officers(officer):
    other = OfficerFactory(activity=officer.activity)
    chosen = ExperienceTaskFactory(programme=officer.activity,
                                   audience=ExperienceTask.Audience.CHOSEN)
    chosen.officers.add(other)
    assert [t.pk for t in selectors.open_tasks_for(other)].count(chosen.pk) == 1
    assert chosen not in selectors.open_tasks_for(officer)
    with pytest.raises(services.OfficerError):
        save(chosen, officer)


def test_each_officer_may_write_as_many_reports_as_the_task_allows(officer):
    task = ExperienceTaskFactory(programme=officer.activity, reports_per_officer=2)
    save(task, officer)
    save(task, officer)
    with pytest.raises(services.OfficerError) as refused:
        save(task, officer)
    assert refused.value.code == "limit" and "2" in refused.value.messages[0]
    other = OfficerFactory(activity=officer.activity)
    save(task, other)  # the limit is per officer


def test_a_score_outside_one_to_ten_is_refused(task, officer):
    with pytest.raises(services.OfficerError):
        services.report_save(task=task, officer=officer,
                             data={**FINDINGS, "scores": {"score_network": 11}})


def test_a_task_needs_known_dimensions_and_cities_when_it_targets_cities(task):
    from django.core.exceptions import ValidationError

    task.dimensions = ["score_unknown"]
    with pytest.raises(ValidationError):
        task.full_clean()
    form = ExperienceTaskForm(instance=task, data={
        "programme": task.programme_id, "title": task.title, "theme": task.theme_id,
        "opens_at_0": "2026-11-26", "opens_at_1": "09:00", "closes_at_0": "2026-12-10",
        "closes_at_1": "18:00", "instructions": task.instructions,
        "dimensions": ["score_network"], "evidence": "optional", "reports_per_officer": "1",
        "points": "10", "audience": ExperienceTask.Audience.CITIES,
    })
    assert form.errors["regions"] == ["面向指定城市时，请至少选择一个城市。"]
