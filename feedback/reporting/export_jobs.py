"""Background exports: reports too big for a request are written to a file under MEDIA_ROOT
by a task (`run_export_job`, below), with progress the staff page shows; the owner
downloads the file when it is done (audited then, as every export: before data leaves).

Only the feedback report runs in the background for now (CSV and XLSX). On PostgreSQL a CSV
job is written by COPY (as the web download is), with its progress written through a second
connection; elsewhere, and for XLSX, by the Python rows.

The files hold personal data, so they do not stay: `export_jobs_expire()` (run by
`manage.py expire_exports` from cron, and whenever a job is queued) deletes the file of a job
finished more than EXPORT_JOB_RETENTION_HOURS ago (the row stays, shown as expired), fails
jobs that did not finish within EXPORT_JOB_TIMEOUT_MINUTES of being queued (a dead worker),
and removes files in `exports/` that no job refers to any more.
"""

import dataclasses
import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django_tasks import task

from campaigns.access import can_view_personal_data
from campaigns.regions import scope_for
from campaigns.services.audit import audit_record
from config.tasks import enqueue_on_commit
from feedback.models import ExportJob

from .exporters import FORMATS, FeedbackExporter
from .filters import DashboardFilters
from .selectors import feedback_rows

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 5000  # rows between two progress updates
JOB_EXPORTERS = {FeedbackExporter.name: FeedbackExporter}
EXPORT_DIR = "exports"
ACTIVE = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)


@transaction.atomic
def export_job_create(
    *, user, export: str, fmt: str, filters: DashboardFilters, language: str
) -> ExportJob:
    """Queue an export for `user`; the task starts once this transaction commits. Expired
    files are cleaned up on the way (cheap: a few queries on a small table, one directory)."""
    if export not in JOB_EXPORTERS or fmt not in FORMATS:
        raise ValueError(f"unknown export {export!r}.{fmt!r}")
    job = ExportJob.objects.create(
        user=user, export=export, format=fmt, filters=filters.as_params(), language=language,
        unmasked=can_view_personal_data(user),
    )
    transaction.on_commit(_expire_quietly)
    enqueue_on_commit(run_export_job, job_id=job.pk)
    return job


# --- Running a job ----------------------------------------------------------------------


@task()
def run_export_job(*, job_id: int) -> None:
    """Write a background export's file; not retried: the owner sees the failure on the page
    and starts it again."""
    export_job_run(job_id=job_id)


def export_job_run(*, job_id: int) -> None:
    """Write the job's file, updating `rows_done` every PROGRESS_EVERY rows."""
    # QUEUED → RUNNING once only (a task delivered twice, or a job failed meanwhile by
    # export_jobs_expire, does nothing). The file is recorded now, so that a job whose
    # worker dies leaves no file that the clean-up cannot find.
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    name = f"{EXPORT_DIR}/{job.export}-{job.pk}-{get_random_string(16)}.{job.format}"
    started = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, file=name
    )
    if not started:
        return
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with translation.override(job.language):
            # The requester's scope as it is now: a narrowed scope narrows a queued export.
            filters = DashboardFilters.from_params(job.filters, scope=scope_for(job.user))
            exporter = JOB_EXPORTERS[job.export](user=job.user, filters=filters)
            exporter.unmasked = job.unmasked and exporter.unmasked  # never more than asked
            total = feedback_rows(filters).count()
            ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
            _write(job, exporter, path)
    except Exception as exc:
        path.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, file="", finished_at=timezone.now()
        )
        logger.error("Export job %s failed (%s)", job.pk, type(exc).__name__)
        raise
    done = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.DONE, rows_done=total, finished_at=timezone.now()
    )
    if not done:  # failed as stuck, or deleted in the admin, while it ran: keep nothing
        path.unlink(missing_ok=True)
        logger.warning("Export job %s finished after it was failed or deleted", job.pk)


def _write(job: ExportJob, exporter, path: Path) -> None:
    """Write the file; COPY (PostgreSQL CSV) reports progress through a second connection,
    the Python rows through this one between rows."""
    exporter.copy = job.format == "csv" and _copy_applies(exporter)
    progress = _SideProgress(job, feedback_rows(exporter.filters).db) if exporter.copy else None
    try:
        with open(path, "wb") as out:
            exporter.write(job.format, out, progress_every=PROGRESS_EVERY,
                           progress=progress or (lambda rows: _progress(job, rows)))
    finally:
        if progress is not None:
            progress.close()


def _progress(job: ExportJob, rows: int) -> None:
    ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(rows_done=rows)


def _copy_applies(exporter) -> bool:
    """COPY when the web download would use it (PostgreSQL, and a masked export only if every
    row has its public text), and the job runs outside a transaction: the progress
    connection must see the job's row, and must never wait for a lock this connection
    holds while the COPY (which it waits for) cannot finish."""
    using = feedback_rows(exporter.filters).db
    return exporter.uses_copy() and not connections[using].in_atomic_block


class _SideProgress:
    """`rows_done` written through a second connection (autocommit) while the job's own
    connection streams the COPY. Progress is only a display: a failed update is logged
    and the export goes on."""

    def __init__(self, job: ExportJob, using: str):
        self.job = job
        self.connection = connections.create_connection(using)

    def __call__(self, rows: int) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE feedback_exportjob SET rows_done = %s WHERE id = %s AND status = %s",
                    [rows, self.job.pk, ExportJob.Status.RUNNING],
                )
        except DatabaseError as exc:
            logger.warning("Export job %s: progress not written (%s)", self.job.pk,
                           type(exc).__name__)

    def close(self) -> None:
        self.connection.close()


def export_job_download_allowed(*, job: ExportJob, user) -> bool:
    """Whether `user` may download the job's file now: an unmasked file needs the personal
    data permission at download time (it may have been revoked since the job was made); a
    refusal is audited as `export_refused`."""
    if not job.unmasked or can_view_personal_data(user):
        return True
    audit_record(target=job, action="export_refused", actor=user, to_state="refused",
                 changes={**_audit_changes(job), "reason": "view_personal_data revoked"})
    return False


# --- Expiry and deletion ----------------------------------------------------------------


@dataclasses.dataclass
class ExpiryResult:
    expired: int = 0  # finished jobs whose file was deleted
    failed: int = 0  # jobs that never finished, marked failed
    orphans: int = 0  # files no job refers to, deleted


def export_jobs_expire(*, now: datetime.datetime | None = None) -> ExpiryResult:
    """Delete the files of jobs finished more than EXPORT_JOB_RETENTION_HOURS ago (audited as
    `export_expired`; the job stays, shown as expired), fail the jobs still queued or
    running EXPORT_JOB_TIMEOUT_MINUTES after they were queued, and delete files in
    `exports/` older than the retention that no job refers to (a job whose user was
    deleted). Safe to run concurrently: each job is claimed by a conditional update."""
    now = now or timezone.now()
    result = ExpiryResult()
    handled = set()  # files deleted below (after their transaction commits)
    keep_until = now - datetime.timedelta(hours=settings.EXPORT_JOB_RETENTION_HOURS)
    finished = ExportJob.objects.filter(
        status__in=[ExportJob.Status.DONE, ExportJob.Status.FAILED], finished_at__lt=keep_until
    ).exclude(file="")
    for job in finished.order_by("pk"):
        with transaction.atomic():
            if not ExportJob.objects.filter(pk=job.pk, file=job.file.name).update(file=""):
                continue
            audit_record(
                target=job, action="export_expired", to_state="file_deleted",
                changes=_audit_changes(job), at=now,
            )
            _unlink_on_commit(job.file.name)
            handled.add(job.file.name)
        result.expired += 1

    timeout = now - datetime.timedelta(minutes=settings.EXPORT_JOB_TIMEOUT_MINUTES)
    for job in ExportJob.objects.filter(status__in=ACTIVE, created_at__lt=timeout).order_by("pk"):
        with transaction.atomic():
            if not ExportJob.objects.filter(pk=job.pk, status=job.status).update(
                status=ExportJob.Status.FAILED, file="", finished_at=now
            ):
                continue
            if job.file:
                _unlink_on_commit(job.file.name)
                handled.add(job.file.name)
        logger.warning("Export job %s failed: not finished %s minutes after it was queued",
                       job.pk, settings.EXPORT_JOB_TIMEOUT_MINUTES)
        result.failed += 1

    result.orphans = _delete_orphans(older_than=keep_until, skip=handled)
    return result


def export_job_delete(*, job: ExportJob, actor) -> None:
    """Delete a job and its file (the admin's delete); audited as `export_deleted` when a
    file was still there. A job running meanwhile finds its row gone and drops its file."""
    with transaction.atomic():
        name = job.file.name
        if name and job.status == ExportJob.Status.DONE:
            audit_record(
                target=job, action="export_deleted", actor=actor, to_state="file_deleted",
                changes=_audit_changes(job),
            )
        job.delete()
        if name:
            _unlink_on_commit(name)


def _audit_changes(job: ExportJob) -> dict:
    return {"export": job.export, "format": job.format, "filters": job.filters,
            "job": job.pk, "unmasked": job.unmasked}


def _unlink_on_commit(name: str) -> None:
    path = Path(settings.MEDIA_ROOT) / name
    transaction.on_commit(lambda: _unlink(path))


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        logger.error("Export file %s not deleted (%s)", path.name, type(exc).__name__)


def _delete_orphans(*, older_than: datetime.datetime, skip: set[str]) -> int:
    folder = Path(settings.MEDIA_ROOT) / EXPORT_DIR
    if not folder.is_dir():
        return 0
    known = {Path(name).name for name in ExportJob.objects.exclude(file="")
             .values_list("file", flat=True)} | {Path(name).name for name in skip}
    deleted = 0
    for path in folder.iterdir():
        try:
            old = path.stat().st_mtime < older_than.timestamp()
        except FileNotFoundError:
            continue
        if path.is_file() and old and path.name not in known:
            _unlink(path)
            deleted += 1
    return deleted


def _expire_quietly() -> None:
    """The opportunistic clean-up when a job is queued: never fails the request."""
    try:
        export_jobs_expire()
    except Exception as exc:
        logger.error("Export clean-up failed (%s)", type(exc).__name__)
