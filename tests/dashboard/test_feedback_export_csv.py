"""The feedback report as CSV: BOM, headers in the user's language, Shanghai times,
formula neutralising, masking and the audit entry."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from campaigns.models import AuditEntry
from feedback.reporting.exporters import safe_cell
from tests.factories import FeedbackFactory, grant_personal_data

pytestmark = pytest.mark.django_db

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"]


def _download(client, **params):
    response = client.get(reverse("feedback:export_feedback", args=["csv"]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="feedback-')
    raw = b"".join(response.streaming_content)
    return raw


def _rows(raw: bytes):
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.parametrize("value", DANGEROUS)
def test_safe_cell_neutralises_formula_starts(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["1+1", "王小明", "", "a=b", 5, -5, None])
def test_safe_cell_leaves_other_values_alone(value):
    assert safe_cell(value) == value


def test_csv_has_bom_chinese_headers_and_local_times(as_user, analyst, theme, activity):
    FeedbackFactory(
        theme=theme, activity=activity, overall_score=9, recommend_score=10,
        comment="讲解很专业,希望多开几场。",
        created_at=datetime.datetime(2026, 11, 19, 16, 30, tzinfo=datetime.UTC),
    )
    rows = _rows(_download(as_user(analyst)))
    assert rows[0][:3] == ["反馈编号", "提交时间", "活动"]
    assert "总体满意度" in rows[0] and "网络质量" in rows[0]
    assert rows[1][1] == "2026-11-20 00:30"  # 16:30 UTC is 00:30 the next day in Shanghai
    assert rows[1][2] == "探秘5G网络大脑"


def test_csv_headers_in_english(as_user, analyst, theme):
    FeedbackFactory(theme=theme)
    client = as_user(analyst)
    response = client.get("/en" + reverse("feedback:export_feedback", args=["csv"]))
    rows = _rows(b"".join(response.streaming_content))
    assert rows[0][:3] == ["Feedback reference", "Submitted at", "Activity"]
    assert "Overall satisfaction" in rows[0]


def test_formula_values_are_neutralised(as_user, analyst, theme, activity):
    activity.title = "=HYPERLINK(\"http://evil\")"
    activity.save(update_fields=["title"])
    for i, value in enumerate(DANGEROUS):
        FeedbackFactory(theme=theme, activity=activity if i == 0 else None,
                        comment=value + " 评价内容", public_comment=value + " 评价内容",
                        phone=f"1380000000{i}", name=value)
    rows = _rows(_download(as_user(grant_personal_data(analyst))))
    header = rows[0]
    comments = [row[header.index("评价内容")] for row in rows[1:]]
    assert sorted(comments) == sorted("'" + v + " 评价内容" for v in DANGEROUS)
    assert rows[1][2].startswith("'=HYPERLINK")
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_personal_data_masked_without_the_permission(as_user, analyst, theme):
    FeedbackFactory(theme=theme, wants_reply=True, name="王小明", phone="13812345678",
                    email="wang@example.com", consent_at=datetime.datetime.now(datetime.UTC),
                    comment="请打13812345678联系我", public_comment="请打138****5678联系我")
    rows = _rows(_download(as_user(analyst)))
    header, row = rows[0], rows[1]
    assert row[header.index("姓名")] == "王**"
    assert row[header.index("手机号")] == "138****5678"
    assert row[header.index("电子邮箱")] == "w***@example.com"
    assert "13812345678" not in "".join(row)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.to_state) == ("export", analyst, "masked")
    assert entry.changes["format"] == "csv"


def test_personal_data_shown_and_audited_with_the_permission(as_user, analyst, theme):
    FeedbackFactory(theme=theme, wants_reply=True, name="王小明", phone="13812345678",
                    consent_at=datetime.datetime.now(datetime.UTC))
    user = grant_personal_data(analyst)
    rows = _rows(_download(as_user(user)))
    assert rows[1][rows[0].index("姓名")] == "王小明"
    assert rows[1][rows[0].index("手机号")] == "13812345678"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.to_state) == ("export_unmasked", user, "unmasked")


def test_filters_apply_to_the_export(as_user, analyst, theme, other_theme, activity):
    FeedbackFactory(theme=theme, activity=activity, reference="INCLUDED")
    FeedbackFactory(theme=other_theme, reference="EXCLUDED")
    rows = _rows(_download(as_user(analyst), activity=activity.pk))
    assert [row[0] for row in rows[1:]] == ["INCLUDED"]
    entry = AuditEntry.objects.get()
    assert entry.changes["filters"] == {"activity": str(activity.pk)}
    assert entry.object_id == activity.pk


def test_invalid_filters_are_refused_not_dropped(as_user, analyst, theme):
    FeedbackFactory(theme=theme)
    response = as_user(analyst).get(
        reverse("feedback:export_feedback", args=["csv"]), {"region": "999999"}
    )
    assert response.status_code == 400
    assert not AuditEntry.objects.exists()
