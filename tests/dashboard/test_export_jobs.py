"""Background exports: queued from the dashboard, run by the task (immediate backend in
tests), progress up to the total, a page that refreshes while a job runs, the file for its
owner only, masking and the audit entry."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from campaigns.models import AuditEntry
from feedback.models import ExportJob
from feedback.reporting import export_jobs
from feedback.reporting.filters import DashboardFilters
from tests.factories import AnalystFactory, FeedbackFactory, grant_personal_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY", 2)


@pytest.fixture
def rows(theme, activity):
    for i in range(5):
        FeedbackFactory(
            theme=theme, activity=None, wants_reply=True, name="王小明", phone=f"1381234567{i}",
            consent_at=datetime.datetime.now(datetime.UTC), comment="=危险 评价",
            public_comment="=危险 评价",
        )
    FeedbackFactory(theme=theme, activity=activity, reference="ACTIVITY")


def _start(client, fmt, capture, **params):
    url = reverse("feedback:export_job_start", args=[fmt])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:export_jobs")
    return ExportJob.objects.latest("pk")


def test_csv_job_runs_to_the_total_and_the_owner_downloads_the_report(
    as_user, analyst, rows, django_capture_on_commit_callbacks
):
    client = as_user(analyst)
    job = _start(client, "csv", django_capture_on_commit_callbacks)
    assert (job.status, job.rows_done, job.rows_total) == ("done", 6, 6)
    assert job.finished_at is not None and not job.unmasked
    page = client.get(reverse("feedback:export_jobs")).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert '<progress max="100" value="100"' in page
    download = reverse("feedback:export_job_download", args=[job.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    direct = b"".join(client.get(reverse("feedback:export_feedback", args=["csv"]))
                      .streaming_content)
    assert body == direct  # same report as the direct download
    text = body.decode("utf-8")
    assert "王**" in text and "138****5670" in text and "'=危险 评价" in text
    assert "13812345670" not in text and "王小明" not in text
    entry = AuditEntry.objects.filter(changes__job=job.pk).get()
    assert (entry.action, entry.actor, entry.to_state) == ("export", analyst, "masked")


def test_xlsx_job_with_filters_and_unmasked_user(
    as_user, analyst, rows, activity, django_capture_on_commit_callbacks
):
    user = grant_personal_data(analyst)
    client = as_user(user)
    job = _start(client, "xlsx", django_capture_on_commit_callbacks)
    assert (job.status, job.rows_done, job.rows_total, job.unmasked) == ("done", 6, 6, True)
    response = client.get(reverse("feedback:export_job_download", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["数据"]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "王小明" in values and "13812345670" in values
    entry = AuditEntry.objects.filter(changes__job=job.pk).get()
    assert entry.action == "export_unmasked"

    filtered = _start(client, "csv", django_capture_on_commit_callbacks, activity=activity.pk)
    assert (filtered.rows_total, filtered.filters) == (1, {"activity": str(activity.pk)})


def test_another_user_cannot_see_or_download_the_file(
    as_user, analyst, rows, django_capture_on_commit_callbacks
):
    job = _start(as_user(analyst), "csv", django_capture_on_commit_callbacks)
    other = as_user(AnalystFactory(username="other"))
    assert other.get(reverse("feedback:export_job_download", args=[job.pk])).status_code == 404
    page = other.get(reverse("feedback:export_jobs")).content.decode()
    assert reverse("feedback:export_job_download", args=[job.pk]) not in page
    assert not AuditEntry.objects.filter(changes__job=job.pk).exists()


def test_page_refreshes_while_a_job_is_queued(as_user, analyst, rows):
    export_jobs.export_job_create(user=analyst, export="feedback", fmt="xlsx",
                                  filters=DashboardFilters(), language="zh-hans")
    page = as_user(analyst).get(reverse("feedback:export_jobs")).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "排队中" in page
    assert "<script" not in page.split("<body", 1)[1].split("</main>")[0]


def test_start_needs_post_and_the_export_permission(client, as_user, manager, analyst):
    url = reverse("feedback:export_job_start", args=["csv"])
    assert as_user(analyst).get(url).status_code == 405
    assert as_user(manager).post(url).status_code == 403
    assert not ExportJob.objects.exists()


def test_dashboard_offers_background_exports(as_user, analyst):
    page = as_user(analyst).get(reverse("feedback:dashboard")).content.decode()
    assert reverse("feedback:export_job_start", args=["xlsx"]) in page
    assert "后台生成反馈 Excel" in page


def test_an_unmasked_file_needs_the_permission_at_download_time(
    as_user, analyst, rows, django_capture_on_commit_callbacks
):
    user = grant_personal_data(analyst)
    client = as_user(user)
    job = _start(client, "csv", django_capture_on_commit_callbacks)
    assert job.unmasked
    user.user_permissions.clear()  # revoked after the file was made
    response = client.get(reverse("feedback:export_job_download", args=[job.pk]))
    assert response.status_code == 403
    assert b"13812345670" not in response.content
    refused = AuditEntry.objects.get(action="export_refused")
    assert (refused.actor, refused.changes["job"]) == (user, job.pk)
    assert not AuditEntry.objects.filter(action__in=["export", "export_unmasked"]).exists()
