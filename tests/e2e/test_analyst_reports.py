"""An analyst logs in, filters the dashboard, downloads the feedback report as CSV and as
Excel, and finds names and numbers masked; the dashboard passes the accessibility scan."""

import csv
import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "analyst-e2e-Passw0rd"
MAKE_ANALYST = f"""
from django.contrib.auth.models import Group, User
from campaigns.models import StaffScope
user, _ = User.objects.get_or_create(username="analyst-e2e")
user.is_staff = True
user.set_password("{PASSWORD}")
user.save()
user.groups.add(Group.objects.get(name="数据分析员"))
StaffScope.objects.get_or_create(user=user, defaults={{"level": "national"}})
"""


@pytest.fixture(scope="session")
def analyst(django_shell):
    django_shell(MAKE_ANALYST)
    return "analyst-e2e"


def login(page, username):
    page.goto("/staff/dashboard/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/staff/dashboard/$"))


def test_analyst_filters_the_dashboard_and_downloads_masked_reports(page, analyst, tmp_path):
    login(page, analyst)
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    screenshot(page, "analyst-01-dashboard")
    assert axe_violations(page) == []

    page.get_by_label("活动类型").select_option("open_day")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"kind=open_day"))

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="导出反馈 CSV").click()
    data = (tmp_path / "report.csv")
    csv_download.value.save_as(data)
    raw = data.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows the Chinese right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows and "总体满意度" in rows[0]
    assert not any(re.search(r"\b1[3-9]\d{9}\b", cell) for row in rows[1:] for cell in row)

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="导出反馈 Excel").click()
    book_path = tmp_path / "report.xlsx"
    xlsx_download.value.save_as(book_path)
    book = openpyxl.load_workbook(book_path, read_only=True)
    assert len(book.sheetnames) == 2  # the summary with its chart, and the data


def test_analyst_cannot_open_the_moderation_queue(page, analyst):
    login(page, analyst)
    response = page.goto("/staff/feedback/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("没有权限")
