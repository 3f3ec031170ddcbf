"""Every Monday each region's managers get last week's report of their regions: headline
figures in the email, the feedback XLSX attached, through the queue, once; one link
unsubscribes."""

import datetime
import io

import openpyxl
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from campaigns.models import StaffScope
from feedback.models import Feedback
from feedback.reporting.weekly import last_week, queue_weekly_reports, unsubscribe_token
from tests.factories import AnalystFactory, FeedbackFactory, ThemeFactory, city

pytestmark = pytest.mark.django_db
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
MONDAY = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=SHANGHAI)
LAST_WEEK = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def managers():
    wuhan = AnalystFactory(email="wuhan@example.cn", scope=("city", ["420100"]))
    national = AnalystFactory(email="hq@example.cn")
    unsubscribed = AnalystFactory(email="off@example.cn")
    StaffScope.objects.filter(user=unsubscribed).update(weekly_report=False)
    theme = ThemeFactory()
    FeedbackFactory(theme=theme, region=city("武汉"), created_at=LAST_WEEK, reference="WUHAN001",
                    kind=Feedback.Kind.PRAISE, overall_score=9)
    FeedbackFactory(theme=theme, region=city("广州"), created_at=LAST_WEEK, reference="GZ000001")
    return {"wuhan": wuhan, "national": national}


def sent_to(address):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    name, content, _type = message.attachments[0]
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = {str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}
    return message, name, cells


def test_last_week_is_monday_to_sunday():
    assert last_week(MONDAY) == (datetime.date(2026, 11, 16), datetime.date(2026, 11, 22))


def test_each_manager_gets_their_regions_week_once(managers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_weekly_reports(now=MONDAY) == 2  # not the one who unsubscribed
    message, name, cells = sent_to("wuhan@example.cn")
    assert name == "feedback-2026-11-16.xlsx"
    assert "武汉市" in message.subject and "11-16–11-22" in message.subject
    assert "收到评价：1" in message.body
    assert "WUHAN001" in cells and "GZ000001" not in cells
    _message, _name, cells = sent_to("hq@example.cn")
    assert {"WUHAN001", "GZ000001"} <= cells
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_weekly_reports", stdout=io.StringIO())  # cron ran twice
    assert mail.outbox == []


def test_the_link_in_the_email_unsubscribes(client, managers):
    scope = managers["wuhan"].staff_scope
    url = reverse("feedback:weekly_unsubscribe", args=[unsubscribe_token(scope)])
    assert client.get(url).status_code == 200
    scope.refresh_from_db()
    assert scope.weekly_report  # a GET (a mail scanner) changes nothing
    assert "已退订" in client.post(url).content.decode()
    scope.refresh_from_db()
    assert not scope.weekly_report
    forged = reverse("feedback:weekly_unsubscribe", args=["forged"])
    assert client.post(forged).status_code == 404
    assert StaffScope.objects.filter(weekly_report=True).count() == 1
