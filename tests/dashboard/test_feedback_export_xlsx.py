"""The feedback report as XLSX, opened with openpyxl: sheets, headers in zh and en, local
times, masking, formula neutralising and the native chart."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from campaigns.models import AuditEntry
from tests.factories import FeedbackFactory, grant_personal_data

pytestmark = pytest.mark.django_db

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"]


def _download(client, prefix="", **params):
    response = client.get(prefix + reverse("feedback:export_feedback", args=["xlsx"]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="feedback-' in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def _data(book, name):
    sheet = book[name]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def ratings(theme, activity):
    FeedbackFactory(
        theme=theme, activity=activity, overall_score=9, recommend_score=10,
        created_at=datetime.datetime(2026, 11, 19, 16, 30, tzinfo=datetime.UTC),
        wants_reply=True, name="王小明", phone="13812345678",
        consent_at=datetime.datetime(2026, 11, 19, 16, 30, tzinfo=datetime.UTC),
    )
    FeedbackFactory(theme=theme, overall_score=4, recommend_score=2)


def test_sheets_headers_and_values_in_chinese(as_user, analyst, ratings):
    raw = _download(as_user(analyst))
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["概览", "数据"]
    rows = _data(book, "数据")
    header = rows[0]
    assert header[:3] == ["反馈编号", "提交时间", "活动"]
    first = rows[1]
    assert first[1] == datetime.datetime(2026, 11, 20, 0, 30)  # Shanghai wall-clock time
    assert first[header.index("总体满意度")] == 9
    assert first[header.index("姓名")] == "王**"
    assert first[header.index("手机号")] == "138****5678"
    summary = {row[0]: row[1] for row in _data(book, "概览") if row and row[0]}
    assert summary["有效反馈数"] == 2
    assert summary["净推荐值（NPS）"] == 0  # one promoter, one detractor
    assert summary["个人信息"] == "已脱敏"


def test_headers_in_english(as_user, analyst, ratings):
    book = openpyxl.load_workbook(io.BytesIO(_download(as_user(analyst), prefix="/en")))
    assert book.sheetnames == ["Summary", "Data"]
    header = _data(book, "Data")[0]
    assert header[:2] == ["Feedback reference", "Submitted at"]
    assert "Overall satisfaction" in header


def test_summary_sheet_has_a_native_chart(as_user, analyst, ratings):
    raw = _download(as_user(analyst))
    names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
    assert "xl/charts/chart1.xml" in names
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert len(book["概览"]._charts) == 1
    assert book["数据"]._charts == []


def test_no_cell_starts_a_formula(as_user, analyst, theme, activity):
    activity.title = "=cmd|' /C calc'!A0"
    activity.save(update_fields=["title"])
    for i, value in enumerate(DANGEROUS):
        FeedbackFactory(theme=theme, activity=activity if i == 0 else None,
                        comment=value, public_comment=value, name=value,
                        phone=f"1380000000{i}")
    raw = _download(as_user(grant_personal_data(analyst)))
    book = openpyxl.load_workbook(io.BytesIO(raw))
    rows = _data(book, "数据")
    header = rows[0]
    # XlsxWriter stores a carriage return as the OOXML escape _x000D_ (Excel reads it back as
    # "\r"; openpyxl leaves the escape as it is).
    comments = sorted(
        row[header.index("评价内容")].replace("_x000D_", "\r") for row in rows[1:]
    )
    assert comments == sorted("'" + value for value in DANGEROUS)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
    # The raw sheet XML holds no formula element either.
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name)


def test_unmasked_for_permission_holders_and_audited(as_user, analyst, ratings):
    user = grant_personal_data(analyst)
    book = openpyxl.load_workbook(io.BytesIO(_download(as_user(user))))
    rows = _data(book, "数据")
    assert rows[1][rows[0].index("姓名")] == "王小明"
    assert rows[1][rows[0].index("手机号")] == "13812345678"
    entry = AuditEntry.objects.get()
    assert entry.action == "export_unmasked"
    assert entry.changes["format"] == "xlsx"
