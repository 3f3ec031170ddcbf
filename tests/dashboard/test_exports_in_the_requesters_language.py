"""Exports are in the requester's language, all of a piece: from the English site the
headings and the names of activities, themes, products and tasks are English (Chinese where
staff gave no English), and the file's name ends in "-en"; from the Chinese site everything
is Chinese, as is the weekly report, the report of record (docs/architecture.md, "Content in
two languages"). The exports pages say so."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from campaigns.models import Activity, StaffScope
from feedback.models import ExportJob
from feedback.reporting.weekly import weekly_message
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    ExperienceTaskFactory,
    FeedbackFactory,
    OfficerApplicationFactory,
    OfficerFactory,
    StaffFactory,
    ThemeFactory,
    ThemeItemFactory,
)

pytestmark = pytest.mark.django_db

ENGLISH_NAMES = {"Inside the 5G network's brain", "Network+", "5G network"}
CHINESE_OF_ENGLISH = {"探秘5G网络大脑", "优+网络", "5G网络"}
FALLBACKS = {"数据中心开放日", "优+服务", "千兆宽带"}  # no English: Chinese in both files


@pytest.fixture
def named():
    campaign = CampaignFactory()
    theme = ThemeFactory(campaign=campaign, name="优+网络", name_en="Network+")
    chinese_theme = ThemeFactory(campaign=campaign, name="优+服务", name_en="")
    activity = ActivityFactory(campaign=campaign, title="探秘5G网络大脑",
                               title_en="Inside the 5G network's brain")
    chinese_activity = ActivityFactory(campaign=campaign, title="数据中心开放日")
    FeedbackFactory(theme=theme, activity=activity, reference="ENGLISH1",
                    theme_item=ThemeItemFactory(theme=theme, name="5G网络", name_en="5G network"))
    FeedbackFactory(theme=chinese_theme, activity=chinese_activity, reference="CHINESE1",
                    theme_item=ThemeItemFactory(theme=chinese_theme, name="千兆宽带"))
    return {"campaign": campaign, "theme": theme, "chinese_theme": chinese_theme}


def _download(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response["Content-Disposition"], b"".join(response.streaming_content)


def _csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8").removeprefix("\ufeff"))))


def _cells(body: bytes) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(body))
    return {str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}


def test_the_feedback_report_from_the_english_site_is_in_english(as_user, analyst, named):
    disposition, body = _download(as_user(analyst),
                                  "/en" + reverse("feedback:export_feedback", args=["csv"]))
    assert disposition.endswith('-en.csv"')
    header, *rows = _csv_rows(body)
    assert header[2:5] == ["Activity", "Theme", "Specific product or service"]
    names = {cell for row in rows for cell in row[2:5]}
    assert names >= ENGLISH_NAMES | FALLBACKS
    assert not CHINESE_OF_ENGLISH & names


def test_the_feedback_report_from_the_chinese_site_is_all_chinese(as_user, analyst, named):
    disposition, body = _download(as_user(analyst),
                                  reverse("feedback:export_feedback", args=["xlsx"]))
    assert disposition.endswith('.xlsx"') and "-en" not in disposition
    cells = _cells(body)
    assert {"活动", "主题", "具体产品或服务"} | CHINESE_OF_ENGLISH | FALLBACKS <= cells
    assert not ENGLISH_NAMES & cells


def test_the_applications_and_officer_exports_follow_the_language_too(as_user, named):
    campaign, theme = named["campaign"], named["theme"]
    programme = ActivityFactory(campaign=campaign, kind=Activity.Kind.OFFICER,
                                title="服务体验官", title_en="Service experience officers")
    OfficerApplicationFactory(activity=programme, theme=theme)
    OfficerFactory(activity=programme, city="上海")
    ExperienceTaskFactory(programme=programme, theme=named["chinese_theme"], title="地铁上网",
                          title_en="Online on the metro")
    client = as_user(StaffFactory())
    # URLs first: a request to /en/ leaves English active in this thread (and reverse()).
    applications = reverse("feedback:export_applications", args=["xlsx"])
    officers = reverse("feedback:export_officers", args=["xlsx"])
    _disposition, body = _download(client, "/en" + applications)
    cells = _cells(body)
    assert {"Service experience officers", "Network+"} <= cells
    assert not {"服务体验官", "优+网络"} & cells
    _disposition, body = _download(client, "/en" + officers)
    assert "Service experience officers" in _cells(body)
    _disposition, body = _download(client, applications)
    cells = _cells(body)
    assert {"服务体验官", "优+网络"} <= cells and "Network+" not in cells


def test_a_background_export_keeps_the_language_it_was_asked_in(
    as_user, analyst, named, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client = as_user(analyst)
    start = reverse("feedback:export_job_start", args=["csv"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en" + start)
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert (job.language, job.status) == ("en", ExportJob.Status.DONE)
    # Downloaded later from the Chinese site: still the English file, named so.
    with translation.override("zh-hans"):
        download = reverse("feedback:export_job_download", args=[job.pk])
    disposition, body = _download(client, download)
    assert disposition.endswith('-en.csv"')
    header, *rows = _csv_rows(body)
    assert header[2] == "Activity"
    names = {cell for row in rows for cell in row[2:5]}
    assert names >= ENGLISH_NAMES | FALLBACKS and not CHINESE_OF_ENGLISH & names


def test_the_weekly_report_stays_in_chinese(analyst, named):
    analyst.email = "hq@example.cn"
    analyst.save(update_fields=["email"])
    scope = StaffScope.objects.get(user=analyst)
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    with translation.override("en"):  # whatever language the sender runs in
        message = weekly_message(scope, monday)
    message.send()
    (_name, content, _type), = mail.outbox[0].attachments
    cells = _cells(content)
    assert "活动" in cells and cells >= CHINESE_OF_ENGLISH | FALLBACKS
    assert not ENGLISH_NAMES & cells


@pytest.mark.parametrize("path", ["feedback:export_jobs", "feedback:dashboard"])
def test_the_exports_pages_say_which_language_a_file_is_in(as_user, analyst, path):
    client, url = as_user(analyst), reverse(path)
    english = client.get("/en" + url).content.decode()
    assert "the report exported from the Chinese site is the report of record" in english
    chinese = client.get(url).content.decode()
    assert "存档和上报以中文版页面导出的报表为准" in chinese
