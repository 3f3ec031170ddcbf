"""体验官专区 over HTTP: in through 我的 (number + SMS code), tasks, a report with a photo,
and the reviewer's page; the lists cost a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.officers import services
from feedback.officers.models import ExperienceReport
from tests.conftest import code_sent_to
from tests.factories import ExperienceTaskFactory, StaffFactory

from .conftest import FINDINGS, jpeg
from .test_report_images import signed_in

pytestmark = pytest.mark.django_db


def report_post(**overrides):
    data = {"score_score_network": "4", "score_score_usability": "", "highlights": "信号满格。",
            "problems": "车厢中部视频卡顿。", "suggestions": "", "place": "地铁2号线",
            "experienced_at": "2026-11-25T08:30", "submit": "1"}
    data.update(overrides)
    return data


def test_the_zone_asks_for_the_number_first_and_comes_back(
    client, officer, task, sms_outbox, django_capture_on_commit_callbacks
):
    response = client.get("/officer/")
    assert response.status_code == 302 and response["Location"] == "/my/?next=%2Fofficer%2F"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my/?next=/officer/", {"phone": officer.phone, "send_code": "1"})
    response = client.post("/my/?next=/officer/",
                           {"phone": officer.phone, "sms_code": code_sent_to(sms_outbox,
                                                                            officer.phone)})
    assert response["Location"] == "/officer/"
    page = client.get("/officer/").content.decode()
    assert task.title in page and "积分 0" in page


def test_a_number_that_is_not_an_officer_is_told_so(officer):
    response = signed_in("13999990000").get("/officer/")
    assert response.status_code == 403
    assert "还不是本期的服务体验官" in response.content.decode()


def test_next_never_leaves_the_site(client, officer):
    response = signed_in(officer.phone).get("/my/?next=https://evil.example/")
    assert response.status_code == 200  # the 我的 page itself, no redirect away


def test_a_report_with_a_photo_is_submitted_from_the_phone(officer, task):
    client = signed_in(officer.phone)
    response = client.post(f"/officer/tasks/{task.pk}/report/",
                           {**report_post(), "images": [jpeg()]})
    assert response.status_code == 302 and response["Location"] == "/officer/"
    report = ExperienceReport.objects.get()
    assert report.status == "submitted" and report.images.count() == 1
    assert report.scores == {"score_network": 4, "score_usability": None}


def test_an_incomplete_report_is_kept_as_a_draft_with_what_was_typed(officer, task):
    client = signed_in(officer.phone)
    response = client.post(f"/officer/tasks/{task.pk}/report/",
                           report_post(highlights="", problems="", score_score_network=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "请至少写下一条亮点、问题或建议" in page and "地铁2号线" in page
    assert ExperienceReport.objects.get().status == "draft"


def test_another_officer_cannot_open_a_report(officer, task):
    report = services.report_save(task=task, officer=officer, data=FINDINGS)
    from tests.factories import OfficerFactory

    other = OfficerFactory(activity=officer.activity)
    assert signed_in(other.phone).get(f"/officer/reports/{report.pk}/").status_code == 404
    assert signed_in(officer.phone).get(f"/officer/reports/{report.pk}/").status_code == 200


def test_a_reviewer_accepts_a_report(officer, task, client):
    report = services.report_submit(
        report=services.report_save(task=task, officer=officer, data=FINDINGS), officer=officer
    )
    client.force_login(StaffFactory())
    assert task.title in client.get("/staff/officer-reports/").content.decode()
    page = client.get(f"/staff/officer-reports/{report.pk}/").content.decode()
    assert "车厢中部视频通话卡顿三次" in page and officer.phone not in page
    response = client.post(f"/staff/officer-reports/{report.pk}/", {"decision": "accept"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "accepted" and report.points_awarded == task.points


def test_the_review_pages_need_the_review_permission(client, officer, task):
    from tests.factories import ModeratorFactory

    client.force_login(ModeratorFactory())
    assert client.get("/staff/officer-reports/").status_code == 403


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_cost_the_same_however_long_they_are(officer, task):
    client = signed_in(officer.phone)
    services.report_save(task=task, officer=officer, data=FINDINGS)
    few = count_queries(client, "/officer/")
    for _n in range(5):
        extra = ExperienceTaskFactory(programme=officer.activity, reports_per_officer=2)
        services.report_save(task=extra, officer=officer, data=FINDINGS)
    assert count_queries(client, "/officer/") == few

    staff = signed_in(officer.phone)
    staff.force_login(StaffFactory())
    for report in ExperienceReport.objects.all():
        services.report_submit(report=report, officer=officer)
    few = count_queries(staff, "/staff/officer-reports/")
    more = ExperienceTaskFactory(programme=officer.activity)
    services.report_submit(report=services.report_save(task=more, officer=officer,
                                                       data=FINDINGS), officer=officer)
    assert count_queries(staff, "/staff/officer-reports/") == few


def test_the_emailed_secret_link_opens_the_zone_too(officer, task, client):
    from campaigns.refcodes import generate_secret

    token, secret_hash = generate_secret()
    type(officer).objects.filter(pk=officer.pk).update(secret_hash=secret_hash,
                                                        secret_issued_at=timezone.now())
    client.get(f"/my/link/{token}/")
    page = client.get("/officer/").content.decode()
    assert task.title in page


def test_staff_create_a_task_in_the_admin_with_checkboxes_and_cities(client, officer, task):
    client.force_login(StaffFactory())
    response = client.post("/admin/officers/experiencetask/add/", {
        "programme": officer.activity_id, "title_zh_hans": "宽带装维回访",
        "title_en": "Broadband installation follow-up", "theme": task.theme_id,
        "opens_at_0": "2026-11-26", "opens_at_1": "09:00", "closes_at_0": "2026-12-10",
        "closes_at_1": "18:00", "instructions_zh_hans": "回访最近一次宽带装维的体验。",
        "instructions_en": "",
        "dimensions": ["score_attitude", "score_efficiency"], "evidence": "optional",
        "reports_per_officer": "1", "points": "15", "audience": "cities",
        "regions": ["110100", "310100", "330100"],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    from feedback.officers.models import ExperienceTask

    created = ExperienceTask.objects.get(title="宽带装维回访")
    assert created.title_en == "Broadband installation follow-up"
    assert {r.name for r in created.regions.all()} == {"北京市", "上海市", "杭州市"}
    assert created.dimensions == ["score_attitude", "score_efficiency"]
    assert created.published_at is None  # published with the action, which texts officers
