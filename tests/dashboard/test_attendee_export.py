"""Attendee list per session (for the staff at the door) and the officer applications export."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from campaigns.models import Activity, AuditEntry
from campaigns.services import signup_cancel
from tests.factories import (
    ActivityFactory,
    OfficerApplicationFactory,
    SessionFactory,
    SignupFactory,
    grant_personal_data,
)

pytestmark = pytest.mark.django_db


def _csv(response):
    assert response.status_code == 200
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture
def attendees(session):
    SignupFactory(session=session, name="张伟", phone="13900000001", companions=1,
                  accessibility_needs="需要轮椅通道")
    SignupFactory(session=session, name="李娜", phone="13900000002")
    gone = SignupFactory(session=session, name="王芳", phone="13900000003")
    signup_cancel(signup=gone)
    full = SessionFactory(activity=session.activity, capacity=1)
    SignupFactory(session=full, name="别的场次", phone="13900000004")
    return session


def test_manager_gets_the_list_of_one_session_without_cancelled(as_user, manager, attendees):
    url = reverse("feedback:export_attendees", args=[attendees.pk, "csv"])
    rows = _csv(as_user(manager).get(url))
    header = rows[0]
    assert header[:4] == ["报名编号", "姓名", "手机号码", "状态"]
    assert header[-1] == "签到"
    names = [row[1] for row in rows[1:]]
    assert names == ["张**", "李**"]  # masked, cancelled and other sessions left out
    assert rows[1][header.index("同行人数")] == "1"
    assert rows[1][header.index("无障碍需求")] == "需要轮椅通道"
    entry = AuditEntry.objects.get(action__startswith="export")
    assert (entry.action, entry.object_id, entry.actor) == ("export", attendees.pk, manager)


def test_permission_holder_gets_names_and_numbers(as_user, manager, attendees):
    user = grant_personal_data(manager)
    url = reverse("feedback:export_attendees", args=[attendees.pk, "xlsx"])
    response = as_user(user).get(url)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["概览", "数据"]
    rows = list(book["数据"].iter_rows(values_only=True))
    assert [(row[1], row[2]) for row in rows[1:]] == [
        ("张伟", "13900000001"), ("李娜", "13900000002")
    ]
    summary = {row[0]: row[1] for row in book["概览"].iter_rows(values_only=True) if row[0]}
    assert summary["名额"] == 10 and summary["已占名额"] == 3
    assert AuditEntry.objects.filter(action="export_unmasked").count() == 1


def test_unknown_session_is_404(as_user, manager):
    url = reverse("feedback:export_attendees", args=[999999, "csv"])
    assert as_user(manager).get(url).status_code == 404


def test_officer_applications_for_moderators_masked(as_user, moderator, activity):
    officer = ActivityFactory(kind=Activity.Kind.OFFICER, campaign=activity.campaign)
    OfficerApplicationFactory(activity=officer, name="李娜", phone="13700000001",
                              motivation="我的手机号13700000001," + "希望参与体验。" * 10)
    OfficerApplicationFactory(activity=officer, name="赵磊", phone="13700000002", city="上海")
    url = reverse("feedback:export_applications", args=["csv"])
    rows = _csv(as_user(moderator).get(url, {"region": "110100"}))
    header = rows[0]
    assert len(rows) == 2
    row = rows[1]
    assert row[header.index("姓名")] == "李**"
    assert row[header.index("手机号码")] == "137****0001"
    assert row[header.index("状态")] == "待审核"
    assert "13700000001" not in ",".join(row)
    entry = AuditEntry.objects.get(action__startswith="export")
    assert entry.changes == {"export": "applications", "format": "csv",
                             "filters": {"region": "110100"}}
