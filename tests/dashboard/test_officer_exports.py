"""The officer roster and the officers' reports as XLSX: a summary sheet with a chart, a data
sheet, masked names, numbers and free text unless the user may view personal data; audited."""

import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from campaigns.models import AuditEntry
from feedback.officers import services
from tests.factories import (
    ExperienceTaskFactory,
    ModeratorFactory,
    OfficerFactory,
    StaffFactory,
    grant_personal_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(db):
    task = ExperienceTaskFactory(title="地铁上网", points=20)
    officer = OfficerFactory(activity=task.programme, city="北京", name="周敏",
                             phone="13700009999")
    report = services.report_save(task=task, officer=officer, data={
        "scores": {"score_network": 6}, "highlights": "信号满格。",
        "problems": "电梯没信号,请回电13812345678。"})
    report = services.report_submit(report=report, officer=officer)
    services.report_review(report=report, reviewer=StaffFactory(), accept=True)
    OfficerFactory(activity=task.programme, city="上海")
    return task


def download(client, name):
    url = {"officers": "feedback:export_officers",
           "officer_reports": "feedback:export_officer_reports"}[name]
    response = client.get(reverse(url, args=["xlsx"]))
    assert response.status_code == 200
    raw = b"".join(response.streaming_content)
    return raw, openpyxl.load_workbook(io.BytesIO(raw))


def rows(book, sheet="数据"):
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


def test_the_roster_counts_reports_and_points_masked(client, reports, analyst):
    client.force_login(analyst)
    raw, book = download(client, "officers")
    data = rows(book)
    header, by_city = data[0], {row[4]: row for row in data[1:]}
    assert by_city["北京市"][header.index("姓名")] == "周**"
    assert by_city["北京市"][header.index("手机号码")] == "137****9999"
    assert by_city["北京市"][header.index("已采纳报告")] == 1
    assert by_city["北京市"][header.index("积分")] == 20
    assert by_city["上海市"][header.index("积分")] == 0
    summary = {row[0]: row[1] for row in rows(book, "概览") if row and row[0]}
    assert summary["体验官人数"] == 2
    assert "xl/charts/chart1.xml" in zipfile.ZipFile(io.BytesIO(raw)).namelist()
    assert AuditEntry.objects.filter(action="export", changes__export="officers").exists()


def test_the_reports_export_masks_free_text_unless_permitted(client, reports, analyst):
    client.force_login(analyst)
    _raw, book = download(client, "officer_reports")
    header, row = rows(book)[:2]
    assert row[header.index("网络质量")] == 6
    assert "13812345678" not in row[header.index("问题")]
    assert "138****5678" in row[header.index("问题")]
    assert row[header.index("体验官")] == "周**"
    grant_personal_data(analyst)
    client.force_login(analyst)
    _raw, book = download(client, "officer_reports")
    header, row = rows(book)[:2]
    assert "13812345678" in row[header.index("问题")] and row[header.index("体验官")] == "周敏"


def test_a_moderator_without_export_rights_gets_403(client, reports):
    client.force_login(ModeratorFactory())
    assert client.get(reverse("feedback:export_officers", args=["xlsx"])).status_code == 403
