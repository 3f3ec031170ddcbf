"""The public 体验官 page: only when staff enable it; figures per city; featured findings
with masked names and masked numbers."""

import pytest
from django.test import Client

from feedback.officers import services
from feedback.officers.models import OfficerProgramme
from tests.factories import OfficerFactory, StaffFactory

from .conftest import FINDINGS

pytestmark = pytest.mark.django_db


def url(officer):
    return f"/officer/programme/{officer.activity.slug}/"


def test_hidden_until_staff_enable_it(officer):
    assert Client().get(url(officer)).status_code == 404
    OfficerProgramme.objects.create(activity=officer.activity, public_page=True)
    assert Client().get(url(officer)).status_code == 200


def test_figures_per_city_and_featured_findings_masked(officer, task):
    OfficerProgramme.objects.create(activity=officer.activity, public_page=True)
    OfficerFactory(activity=officer.activity, city="上海")
    findings = {**FINDINGS, "highlights": "营业员耐心,留了电话13812345678方便回访。"}
    report = services.report_submit(
        report=services.report_save(task=task, officer=officer, data=findings), officer=officer
    )
    services.report_review(report=report, reviewer=StaffFactory(), accept=True, featured=True)
    page = Client().get(url(officer)).content.decode()
    assert "北京" in page and "上海" in page
    assert "营业员耐心" in page and "13812345678" not in page and "138****5678" in page
    assert officer.name not in page and officer.phone not in page


def test_a_returned_report_is_never_featured(officer, task):
    report = services.report_submit(
        report=services.report_save(task=task, officer=officer, data=FINDINGS), officer=officer
    )
    report = services.report_review(report=report, reviewer=StaffFactory(), accept=False,
                                    comment="请补充。", featured=True)
    assert report.featured is False
