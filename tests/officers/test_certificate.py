"""The certificate: earned with enough accepted reports once the term has ended, issued once,
printed from the zone, and checked by anyone with its code (name masked)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from campaigns.models import Campaign
from feedback.officers import services
from feedback.officers.models import Certificate, OfficerProgramme
from tests.factories import ExperienceTaskFactory, StaffFactory

from .conftest import FINDINGS
from .test_report_images import signed_in

pytestmark = pytest.mark.django_db


def accepted_reports(officer, n):
    for _i in range(n):
        task = ExperienceTaskFactory(programme=officer.activity, points=15)
        report = services.report_submit(
            report=services.report_save(task=task, officer=officer, data=FINDINGS),
            officer=officer,
        )
        services.report_review(report=report, reviewer=StaffFactory(), accept=True)


def end_term(officer, days_ago=0):
    Campaign.objects.filter(pk=officer.activity.campaign_id).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=days_ago))
    officer.activity.campaign.refresh_from_db()


def test_not_before_the_term_ends(officer):
    accepted_reports(officer, 2)
    page = signed_in(officer.phone).get("/officer/certificate/").content.decode()
    assert "证书在本期活动结束" in page
    assert not Certificate.objects.exists()


def test_not_with_too_few_accepted_reports(officer, task):
    accepted_reports(officer, 1)
    end_term(officer)
    page = signed_in(officer.phone).get("/officer/certificate/").content.decode()
    assert "需要2篇已采纳的报告，您现在有1篇" in page


def test_the_number_needed_is_the_programmes_setting(officer):
    OfficerProgramme.objects.create(activity=officer.activity, certificate_min_reports=1)
    accepted_reports(officer, 1)
    end_term(officer)
    assert services.certificate_issue(officer=officer).reports == 1


def test_earned_it_is_issued_once_and_printable(officer):
    accepted_reports(officer, 2)
    end_term(officer)
    client = signed_in(officer.phone)
    page = client.get("/officer/certificate/").content.decode()
    certificate = Certificate.objects.get()
    assert officer.name in page and certificate.code in page
    assert "30" in page and "data-print" in page  # 2 × 15 points, and the print button
    client.get("/officer/certificate/")
    assert Certificate.objects.count() == 1


def test_anyone_checks_a_certificate_by_its_code_and_sees_no_full_name(officer):
    accepted_reports(officer, 2)
    end_term(officer)
    certificate = services.certificate_issue(officer=officer)
    response = Client().post("/officer/certificates/", {"code": certificate.code.lower()})
    assert response.status_code == 302
    page = Client().get(response["Location"]).content.decode()
    assert "真实有效" in page and certificate.code in page
    assert officer.name not in page and officer.name[0] in page
    assert officer.phone not in page
    wrong = Client().post("/officer/certificates/", {"code": "NOTACODE12"})
    assert wrong.status_code == 404 and "没有找到" in wrong.content.decode()
    assert Client().get("/officer/certificates/NOTACODE12/").status_code == 404
