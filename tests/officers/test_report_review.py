"""Submitted → 采纳 (points) or 退回修改 (comment, SMS) → edited → submitted again."""

import pytest
from django.db import IntegrityError

from campaigns.models import AuditEntry
from feedback.officers import selectors, services
from feedback.officers.models import ExperienceReport, ExperienceTask
from tests.factories import ExperienceTaskFactory, StaffFactory

from .conftest import FINDINGS, jpeg

pytestmark = pytest.mark.django_db


def submitted(task, officer):
    report = services.report_save(task=task, officer=officer, data=FINDINGS)
    return services.report_submit(report=report, officer=officer)


def test_accepting_awards_the_tasks_points(task, officer):
    report = services.report_review(report=submitted(task, officer), reviewer=StaffFactory(),
                                    accept=True)
    assert report.status == ExperienceReport.Status.ACCEPTED
    assert report.points_awarded == task.points
    assert selectors.officer_points(officer) == task.points
    assert AuditEntry.objects.filter(action="officer_report.review",
                                     to_state="accepted").count() == 1


def test_returning_needs_a_comment_and_texts_the_officer(
    task, officer, sms_outbox, django_capture_on_commit_callbacks
):
    report = submitted(task, officer)
    with pytest.raises(services.OfficerError) as refused:
        services.report_review(report=report, reviewer=StaffFactory(), accept=False)
    assert refused.value.code == "required"
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_review(report=report, reviewer=StaffFactory(), accept=False,
                                        comment="请补充卡顿发生的车站和时间。")
    assert report.status == ExperienceReport.Status.RETURNED and report.points_awarded == 0
    [message] = sms_outbox
    assert message.kind == "report_returned" and message.phone == officer.phone
    assert task.title[:10] in message.text


def test_a_returned_report_is_edited_and_submitted_again(task, officer):
    report = services.report_review(report=submitted(task, officer), reviewer=StaffFactory(),
                                    accept=False, comment="请补充车站。")
    report = services.report_save(task=task, officer=officer, report=report,
                                  data={**FINDINGS, "place": "地铁2号线 西直门站"})
    report = services.report_submit(report=report, officer=officer)
    assert report.status == ExperienceReport.Status.SUBMITTED and report.place.endswith("西直门站")


def test_a_reviewed_report_can_no_longer_change(task, officer):
    report = services.report_review(report=submitted(task, officer), reviewer=StaffFactory(),
                                    accept=True)
    with pytest.raises(services.OfficerError) as refused:
        services.report_save(task=task, officer=officer, report=report, data=FINDINGS)
    assert refused.value.code == "reviewed"
    with pytest.raises(services.OfficerError):
        services.report_review(report=report, reviewer=StaffFactory(), accept=True)


def test_only_a_submitted_report_is_reviewed(task, officer):
    draft = services.report_save(task=task, officer=officer, data=FINDINGS)
    with pytest.raises(services.OfficerError) as refused:
        services.report_review(report=draft, reviewer=StaffFactory(), accept=True)
    assert refused.value.code == "not_submitted"


def test_submitting_needs_a_score_a_finding_and_the_required_image(officer):
    task = ExperienceTaskFactory(programme=officer.activity,
                                 evidence=ExperienceTask.Evidence.REQUIRED)
    empty = services.report_save(task=task, officer=officer, data={})
    with pytest.raises(services.OfficerError) as refused:
        services.report_submit(report=empty, officer=officer)
    assert set(refused.value.error_dict) == {"scores", "highlights", "images"}
    report = services.report_save(task=task, officer=officer, report=empty, data=FINDINGS,
                                  images=[jpeg()])
    assert services.report_submit(report=report, officer=officer).status == "submitted"


def test_the_database_refuses_points_on_a_report_not_accepted(task, officer):
    report = services.report_save(task=task, officer=officer, data=FINDINGS)
    with pytest.raises(IntegrityError):
        ExperienceReport.objects.filter(pk=report.pk).update(points_awarded=5)


def test_publishing_a_task_texts_the_officers_it_targets(
    officer, sms_outbox, django_capture_on_commit_callbacks
):
    elsewhere = type(officer).objects.get(pk=officer.pk)
    task = ExperienceTaskFactory(programme=officer.activity, published_at=None,
                                 audience=ExperienceTask.Audience.CITIES, cities=["北京"])
    with django_capture_on_commit_callbacks(execute=True):
        services.task_publish(task=task, actor=StaffFactory())
    assert [(m.kind, m.phone) for m in sms_outbox] == [("task_opened", elsewhere.phone)]
    with pytest.raises(services.OfficerError):
        services.task_publish(task=task, actor=StaffFactory())


def test_a_problem_becomes_a_case_with_the_48_hour_clock(
    task, officer, sms_outbox, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    report = submitted(task, officer)
    opened = timezone.now()
    report = services.report_case_open(report=report, actor=StaffFactory(), now=opened)
    assert report.case_due_at - opened == datetime.timedelta(hours=48)
    assert report.clock(opened + datetime.timedelta(hours=47)).state != "overdue"
    assert report.clock(opened + datetime.timedelta(hours=48)).is_overdue
    with pytest.raises(services.OfficerError):
        services.report_case_open(report=report, actor=StaffFactory())
    with pytest.raises(services.OfficerError) as refused:
        services.report_case_reply(report=report, actor=StaffFactory(), body=" ")
    assert refused.value.code == "required"
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_case_reply(report=report, actor=StaffFactory(),
                                            body="已安排优化2号线覆盖。",
                                            now=opened + datetime.timedelta(hours=3))
    assert report.case_replied_at == opened + datetime.timedelta(hours=3)
    assert not report.clock(opened + datetime.timedelta(hours=60)).is_overdue
    [message] = sms_outbox
    assert message.kind == "reply" and message.phone == officer.phone
    assert report.reference_display in message.text


def test_only_a_submitted_report_with_a_problem_becomes_a_case(task, officer):
    draft = services.report_save(task=task, officer=officer, data=FINDINGS)
    with pytest.raises(services.OfficerError):
        services.report_case_open(report=draft, actor=StaffFactory())
    no_problem = services.report_submit(
        report=services.report_save(task=ExperienceTaskFactory(programme=officer.activity),
                                    officer=officer, data={**FINDINGS, "problems": ""}),
        officer=officer,
    )
    with pytest.raises(services.OfficerError) as refused:
        services.report_case_open(report=no_problem, actor=StaffFactory())
    assert refused.value.code == "no_problem"


@pytest.mark.django_db(transaction=True)
def test_a_task_published_ahead_texts_its_officers_when_it_opens(database_queue):
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from tests.factories import OfficerFactory

    opens = timezone.now() + datetime.timedelta(days=1)
    task = ExperienceTaskFactory(published_at=None, opens_at=opens,
                                 closes_at=opens + datetime.timedelta(days=7))
    OfficerFactory(activity=task.programme)
    DBTaskResult.objects.all().delete()  # the acceptance's own texts
    services.task_publish(task=task, actor=StaffFactory())
    [queued] = DBTaskResult.objects.filter(task_path="campaigns.sms.delivery.send_sms")
    assert queued.args_kwargs["kwargs"]["source"] == "officer_task_opened"
    assert queued.run_after == opens
