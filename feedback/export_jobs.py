"""Background exports: reports too big for a request are written to a file under MEDIA_ROOT
by a task (`feedback.tasks.run_export_job`), with progress the staff page shows; the owner
downloads the file when it is done (audited then, as every export: before data leaves).

Only the feedback report runs in the background for now (CSV and XLSX).
"""

import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import get_random_string

from config.tasks import enqueue_on_commit

from . import dashboard
from .exporters import FORMATS, FeedbackExporter
from .models import ExportJob

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 5000  # rows between two progress updates
JOB_EXPORTERS = {FeedbackExporter.name: FeedbackExporter}


@transaction.atomic
def export_job_create(
    *, user, export: str, fmt: str, filters: dashboard.DashboardFilters, language: str
) -> ExportJob:
    """Queue an export for `user`; the task starts once this transaction commits."""
    from .tasks import run_export_job

    if export not in JOB_EXPORTERS or fmt not in FORMATS:
        raise ValueError(f"unknown export {export!r}.{fmt!r}")
    job = ExportJob.objects.create(
        user=user, export=export, format=fmt, filters=filters.as_params(), language=language,
        unmasked=user.has_perm("campaigns.view_personal_data"),
    )
    enqueue_on_commit(run_export_job, job_id=job.pk)
    return job


def _progress(job: ExportJob, rows: int) -> None:
    ExportJob.objects.filter(pk=job.pk).update(rows_done=rows)


def export_job_run(*, job_id: int) -> None:
    """Write the job's file, updating `rows_done` every PROGRESS_EVERY rows."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ExportJob.Status.QUEUED:
        return  # already run (a task delivered twice)
    job.status = ExportJob.Status.RUNNING
    job.save(update_fields=["status"])
    name = f"exports/{job.export}-{job.pk}-{get_random_string(16)}.{job.format}"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with translation.override(job.language):
            filters = dashboard.DashboardFilters.from_params(job.filters)
            # The Python rows, not COPY: a COPY holds the database connection until its last
            # row, so the progress updates (same connection) would wait on it for ever.
            exporter = JOB_EXPORTERS[job.export](user=job.user, filters=filters, copy=False)
            exporter.unmasked = job.unmasked and exporter.unmasked  # never more than asked
            total = dashboard.feedback_rows(filters).count()
            ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
            with open(path, "wb") as out:
                if job.format == "csv":
                    _write_csv(job, exporter, out, total)
                else:
                    _write_xlsx(job, exporter, out)
    except Exception as exc:
        path.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, finished_at=timezone.now()
        )
        logger.error("Export job %s failed (%s)", job.pk, type(exc).__name__)
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE, file=name, rows_done=total, finished_at=timezone.now()
    )


def _write_csv(job, exporter, out, total: int) -> None:
    # Lines are counted by their CRLF ends (a CRLF inside a comment counts too, hence min()).
    lines = reported = 0
    for chunk in exporter.csv_chunks():
        out.write(chunk)
        lines += chunk.count(b"\r\n")
        if lines - reported >= PROGRESS_EVERY:
            reported = lines
            _progress(job, min(max(lines - 1, 0), total))


def _write_xlsx(job, exporter, out) -> None:
    rows = exporter.rows

    def counted():
        for number, row in enumerate(rows(), 1):
            if number % PROGRESS_EVERY == 0:
                _progress(job, number)
            yield row

    exporter.rows = counted
    exporter.write_xlsx(out)
