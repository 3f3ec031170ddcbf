"""On PostgreSQL a background CSV job is written by COPY, like the web download, while its
progress goes through a second connection that other sessions (the jobs page) see during
the COPY; the file is byte for byte the Python path's. Where COPY does not apply (a masked
export meeting rows without their public text, a job run inside a transaction) the job
takes the Python path and still finishes."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, connections, transaction
from django.utils import translation

from campaigns.models import StaffScope
from feedback.models import ExportJob, Feedback
from feedback.reporting import export_jobs
from feedback.reporting.exporters import FeedbackExporter
from feedback.reporting.filters import DashboardFilters
from tests.dashboard.test_feedback_export_copy import varied  # noqa: F401 (fixture)
from tests.factories import FeedbackFactory, UserFactory, grant_personal_data

# transaction=True: the job must run after its row is committed, as under a real worker.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the COPY path needs PostgreSQL")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY", 4)


@pytest.fixture
def watched(monkeypatch):
    """(rows reported, rows_done as another session reads it at that moment) for every
    progress update, taken while the job's own connection is still streaming."""
    seen = []

    class Watching(export_jobs._SideProgress):
        def __call__(self, rows):
            super().__call__(rows)
            seen.append((rows, _rows_done_elsewhere(self.job.pk)))

    monkeypatch.setattr(export_jobs, "_SideProgress", Watching)
    return seen


def _rows_done_elsewhere(job_pk: int) -> int:
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT rows_done FROM feedback_exportjob WHERE id = %s", [job_pk])
            return cursor.fetchone()[0]
    finally:
        other.close()


def _exporting_user(*, unmasked: bool):
    # Permissions rather than the role groups: a transactional test may run after another
    # one has flushed the groups the data migration made.
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="feedback", codename__in=["view_dashboard", "export_reports"]
    ))
    StaffScope.objects.create(user=user, level=StaffScope.Level.NATIONAL)
    return grant_personal_data(user) if unmasked else user


def _run(user, filters, language) -> ExportJob:
    with translation.override(language):
        job = export_jobs.export_job_create(
            user=user, export="feedback", fmt="csv", filters=filters, language=language
        )  # committed: the immediate task backend runs the job now
    job.refresh_from_db()
    return job


def _python_csv(user, filters, language) -> bytes:
    with translation.override(language):
        exporter = FeedbackExporter(user=user, filters=filters, copy=False)
        return b"".join(exporter.csv_chunks())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("unmasked", [False, True], ids=["masked", "unmasked"])
def test_csv_job_uses_copy_reports_progress_and_equals_the_python_path(
    varied, copies, watched, language, unmasked  # noqa: F811
):
    user = _exporting_user(unmasked=unmasked)
    job = _run(user, DashboardFilters(), language)
    total = Feedback.objects.count()
    assert (job.status, job.rows_done, job.rows_total, job.unmasked) == (
        "done", total, total, unmasked
    )
    assert len(copies) == 1
    # Progress every 4 rows, visible to other sessions while the COPY was running.
    assert [rows for rows, _seen in watched] == list(range(4, total + 1, 4))
    assert all(seen == rows for rows, seen in watched)
    body = Path(job.file.path).read_bytes()
    assert body == _python_csv(user, DashboardFilters(), language)
    assert (b"13812345678" in body) is unmasked


def test_filtered_csv_job_uses_copy_with_the_same_rows(varied, theme, copies):  # noqa: F811
    import datetime

    user = _exporting_user(unmasked=False)
    filters = DashboardFilters(theme=theme, date_from=datetime.date(2026, 11, 12),
                               date_to=datetime.date(2026, 11, 16))
    job = _run(user, filters, "zh-hans")
    assert len(copies) == 1 and job.status == "done"
    assert 0 < job.rows_total < Feedback.objects.count()
    assert Path(job.file.path).read_bytes() == _python_csv(user, filters, "zh-hans")


def test_masked_job_meeting_rows_without_public_text_takes_the_python_path(
    theme, copies, watched
):
    for i in range(9):
        FeedbackFactory(theme=theme, comment=f"请打1381234567{i}联系我", public_comment="")
    user = _exporting_user(unmasked=False)
    job = _run(user, DashboardFilters(), "zh-hans")
    assert (job.status, job.rows_done, job.rows_total) == ("done", 9, 9)
    assert copies == [] and watched == []
    body = Path(job.file.path).read_bytes()
    assert body == _python_csv(user, DashboardFilters(), "zh-hans")
    assert b"138****5670" in body and b"13812345670" not in body


def test_job_run_inside_a_transaction_takes_the_python_path_instead_of_waiting(
    theme, copies
):
    FeedbackFactory(theme=theme, public_comment="好")
    user = _exporting_user(unmasked=True)
    job = ExportJob.objects.create(user=user, export="feedback", format="csv",
                                   language="zh-hans", unmasked=True)
    with transaction.atomic():
        export_jobs.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.rows_done) == ("done", 1)
    assert copies == []
    assert Path(job.file.path).read_bytes() == _python_csv(user, DashboardFilters(), "zh-hans")
