"""Background export files hold personal data and do not stay: past the retention the file is
deleted (the job stays, shown as expired, and its download explains), jobs whose worker died
are failed so the page stops refreshing, files no job refers to are removed; `expire_exports`
(cron) and queueing a new job both run the clean-up."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaigns.models import AuditEntry
from feedback.models import ExportJob
from feedback.reporting import export_jobs
from feedback.reporting.filters import DashboardFilters
from tests.factories import AnalystFactory, FeedbackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_JOB_RETENTION_HOURS = 72
    settings.EXPORT_JOB_TIMEOUT_MINUTES = 60


@pytest.fixture
def finished_job(as_user, analyst, theme, django_capture_on_commit_callbacks):
    """A CSV job run to the end through the dashboard, as the analyst would."""
    FeedbackFactory(theme=theme, name="王小明", phone="13812345678")
    client = as_user(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("feedback:export_job_start", args=["csv"]))
    job = ExportJob.objects.get()
    assert job.status == "done" and _path(job).exists()
    return job


def _path(job) -> Path:
    return Path(job.file.path)


def _age(job, **delta):
    """Move the job's times back by `delta`, as if it had been made that long ago."""
    past = timezone.now() - datetime.timedelta(**delta)
    ExportJob.objects.filter(pk=job.pk).update(created_at=past, finished_at=past)


def _expire(capture) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("expire_exports", stdout=out)
    return out.getvalue()


def test_file_past_the_retention_is_deleted_and_the_page_shows_the_job_expired(
    as_user, analyst, finished_job, django_capture_on_commit_callbacks
):
    path = _path(finished_job)
    _age(finished_job, hours=73)
    output = _expire(django_capture_on_commit_callbacks)
    assert "Expired 1 export file(s)" in output
    assert not path.exists()
    job = ExportJob.objects.get()
    assert (job.status, job.file.name, job.rows_done) == ("done", "", 1)  # the row stays
    page = as_user(analyst).get(reverse("feedback:export_jobs")).content.decode()
    assert "已过期" in page and "文件已删除，如需要请重新生成" in page
    assert reverse("feedback:export_job_download", args=[job.pk]) not in page
    assert 'http-equiv="refresh"' not in page
    entry = AuditEntry.objects.get(action="export_expired")
    assert (entry.actor, entry.target, entry.to_state) == (None, job, "file_deleted")
    assert entry.changes["job"] == job.pk and entry.changes["unmasked"] is False
    # Running it again finds nothing more to do.
    assert "Expired 0 export file(s)" in _expire(django_capture_on_commit_callbacks)
    assert AuditEntry.objects.filter(action="export_expired").count() == 1


def test_file_within_the_retention_stays_downloadable_and_says_until_when(
    as_user, analyst, finished_job, django_capture_on_commit_callbacks
):
    _age(finished_job, hours=71)
    assert "Expired 0" in _expire(django_capture_on_commit_callbacks)
    assert _path(finished_job).exists()
    job = ExportJob.objects.get()
    page = as_user(analyst).get(reverse("feedback:export_jobs")).content.decode()
    until = timezone.localtime(job.finished_at + datetime.timedelta(hours=72))
    assert f"保留至 {until:%Y-%m-%d %H:%M}" in page
    assert "生成完成 72 小时后自动删除" in page
    assert reverse("feedback:export_job_download", args=[job.pk]) in page


def test_retention_setting_is_honoured(
    settings, as_user, analyst, finished_job, django_capture_on_commit_callbacks
):
    settings.EXPORT_JOB_RETENTION_HOURS = 2
    _age(finished_job, hours=1)
    _expire(django_capture_on_commit_callbacks)
    assert _path(finished_job).exists()
    page = as_user(analyst).get(reverse("feedback:export_jobs")).content.decode()
    assert "生成完成 2 小时后自动删除" in page
    _age(finished_job, hours=3)
    _expire(django_capture_on_commit_callbacks)
    assert not _path(finished_job).exists()
    assert ExportJob.objects.get().expired


def test_download_of_an_expired_job_explains_why_and_exports_nothing(
    as_user, analyst, finished_job, django_capture_on_commit_callbacks
):
    _age(finished_job, hours=100)
    _expire(django_capture_on_commit_callbacks)
    client = as_user(analyst)
    url = reverse("feedback:export_job_download", args=[finished_job.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain == [(reverse("feedback:export_jobs"), 302)]
    page = response.content.decode()
    assert "该导出文件已删除" in page and "生成完成 72 小时后自动删除" in page
    assert not AuditEntry.objects.filter(action__in=["export", "export_unmasked"]).exists()
    # Someone else's job still answers 404, expired or not.
    other = as_user(AnalystFactory(username="other"))
    assert other.get(url).status_code == 404


def test_download_of_a_file_missing_on_disk_explains_too(as_user, analyst, finished_job):
    _path(finished_job).unlink()
    client = as_user(analyst)
    response = client.get(reverse("feedback:export_job_download", args=[finished_job.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "该导出文件已删除" in page
    assert not AuditEntry.objects.filter(action="export").exists()


def test_job_stuck_running_is_marked_failed_and_its_partial_file_deleted(
    settings, as_user, analyst, django_capture_on_commit_callbacks
):
    stuck = export_jobs.export_job_create(
        user=analyst, export="feedback", fmt="csv", filters=DashboardFilters(), language="zh-hans"
    )  # not run: its on_commit never fires here
    partial = Path(settings.MEDIA_ROOT) / "exports" / "feedback-partial.csv"
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"\xef\xbb\xbf...")
    ExportJob.objects.filter(pk=stuck.pk).update(
        status="running", file="exports/feedback-partial.csv", rows_done=5000
    )
    _age(stuck, minutes=61)
    fresh = export_jobs.export_job_create(
        user=analyst, export="feedback", fmt="xlsx", filters=DashboardFilters(), language="en"
    )
    client = as_user(analyst)
    assert 'http-equiv="refresh"' in client.get(reverse("feedback:export_jobs")).content.decode()

    assert "failed 1 stuck job(s)" in _expire(django_capture_on_commit_callbacks)
    stuck.refresh_from_db()
    assert (stuck.status, stuck.file.name) == ("failed", "")
    assert stuck.finished_at is not None
    assert not partial.exists()
    fresh.refresh_from_db()
    assert fresh.status == "queued"  # within the timeout
    _age(fresh, minutes=61)
    _expire(django_capture_on_commit_callbacks)
    page = client.get(reverse("feedback:export_jobs")).content.decode()
    assert 'http-equiv="refresh"' not in page  # no spinner for ever
    assert page.count("生成失败，请重新生成") == 2

    # A worker that picks the failed job up late does nothing.
    export_jobs.export_job_run(job_id=fresh.pk)
    fresh.refresh_from_db()
    assert (fresh.status, fresh.file.name) == ("failed", "")
    assert list((Path(settings.MEDIA_ROOT) / "exports").iterdir()) == []


def test_queueing_a_job_cleans_up_expired_files(
    as_user, analyst, finished_job, django_capture_on_commit_callbacks
):
    old = _path(finished_job)
    _age(finished_job, hours=80)
    with django_capture_on_commit_callbacks(execute=True):
        as_user(analyst).post(reverse("feedback:export_job_start", args=["csv"]))
    assert not old.exists()
    new = ExportJob.objects.latest("pk")
    assert new.status == "done" and _path(new).exists()
    assert ExportJob.objects.get(pk=finished_job.pk).expired


def test_old_files_no_job_refers_to_are_deleted(
    settings, finished_job, django_capture_on_commit_callbacks
):
    folder = Path(settings.MEDIA_ROOT) / "exports"
    orphan, recent = folder / "feedback-999-left.csv", folder / "feedback-998-new.csv"
    orphan.write_bytes(b"old")
    recent.write_bytes(b"new")
    long_ago = (timezone.now() - datetime.timedelta(hours=73)).timestamp()
    os.utime(orphan, (long_ago, long_ago))
    os.utime(_path(finished_job), (long_ago, long_ago))  # old, but its job is within retention
    assert "deleted 1 orphaned file(s)" in _expire(django_capture_on_commit_callbacks)
    assert not orphan.exists()
    assert recent.exists() and _path(finished_job).exists()
