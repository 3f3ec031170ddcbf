"""Rule: every feedback report is written by Exporter.write(fmt, out).

Home: feedback/reporting/exporters/base.py. The web download, `manage.py export_feedback`
and a background export job must give the same file for the same data, filters and
masking, and refuse the same unknown formats.
"""

import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from feedback.models import ExportJob
from feedback.reporting import export_jobs
from feedback.reporting.exporters import FeedbackExporter
from feedback.reporting.filters import DashboardFilters
from tests.factories import AnalystFactory, FeedbackFactory

pytestmark = pytest.mark.django_db

NOV_10 = datetime.datetime(2026, 11, 10, 4, 0, tzinfo=datetime.UTC)
DEC_01 = datetime.datetime(2026, 12, 1, 4, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def rows(theme, activity):
    FeedbackFactory(theme=theme, activity=activity, reference="NOV10ACT", created_at=NOV_10,
                    wants_reply=True, name="王小明", phone="13812345678",
                    email="wang@example.com", consent_at=NOV_10,
                    comment="=SUM(A1) 请回电 13812345678", public_comment="")
    FeedbackFactory(theme=theme, reference="NOV10CASE", kind="complaint", created_at=NOV_10,
                    reply_due_at=NOV_10 + datetime.timedelta(hours=48))
    FeedbackFactory(theme=theme, reference="DEC01GEN", created_at=DEC_01)


@pytest.fixture
def analyst_client(client):
    """Exports reports, without the personal-data permission (masked, like the command)."""
    analyst = AnalystFactory()
    client.force_login(analyst)
    client.user = analyst
    return client


def web_download(client, fmt="csv", **params) -> bytes:
    response = client.get(reverse("feedback:export_feedback", args=[fmt]), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def command_output(tmp_path, *args, fmt="csv") -> bytes:
    target = tmp_path / f"report.{fmt}"
    call_command("export_feedback", "--format", fmt, *args, "-o", str(target),
                 stdout=io.StringIO())
    return target.read_bytes()


def data_sheet(xlsx: bytes) -> list[tuple]:
    """The rows of the "数据" sheet (the summary sheet says when the file was made)."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    return list(book["数据"].iter_rows(values_only=True))


def test_web_download_and_command_write_the_same_csv(tmp_path, analyst_client, rows):
    web = web_download(analyst_client)
    assert command_output(tmp_path) == web
    text = web.decode("utf-8-sig")
    assert "NOV10ACT" in text and "138****5678" in text and "13812345678" not in text


def test_web_download_and_command_apply_date_filters_alike(tmp_path, analyst_client, rows):
    web = web_download(analyst_client, date_from="2026-11-01", date_to="2026-11-30")
    assert command_output(tmp_path, "--from", "2026-11-01", "--to", "2026-11-30") == web
    assert b"NOV10CASE" in web and b"DEC01GEN" not in web


def test_web_download_and_command_write_the_same_xlsx_rows(tmp_path, analyst_client, rows):
    web = data_sheet(web_download(analyst_client, "xlsx"))
    assert data_sheet(command_output(tmp_path, fmt="xlsx")) == web
    assert [row[0] for row in web[1:]] == ["NOV10ACT", "NOV10CASE", "DEC01GEN"]
    assert "138****5678" in web[1]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_progress_is_reported_alike_in_both_formats(rows, fmt):
    calls = []
    FeedbackExporter().write(fmt, io.BytesIO(), progress=calls.append, progress_every=2)
    assert calls == [2]


def test_a_background_job_writes_the_same_csv_as_the_web_download(
    analyst_client, rows, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = export_jobs.export_job_create(
            user=analyst_client.user, export="feedback", fmt="csv", filters=DashboardFilters(),
            language="zh-hans",
        )
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    with job.file.open("rb") as handle:
        assert handle.read() == web_download(analyst_client)


def test_an_unknown_format_is_refused_everywhere(tmp_path, analyst_client, rows):
    with pytest.raises(ValueError, match="pdf"):
        FeedbackExporter().write("pdf", io.BytesIO())
    assert analyst_client.get(
        reverse("feedback:export_feedback", args=["pdf"])
    ).status_code == 404
    with pytest.raises(CommandError):
        call_command("export_feedback", "--format", "pdf", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(ValueError, match="pdf"):
        export_jobs.export_job_create(user=analyst_client.user, export="feedback", fmt="pdf",
                                      filters=DashboardFilters(), language="zh-hans")
    assert not (tmp_path / "x.pdf").exists()
    assert not ExportJob.objects.exists()
