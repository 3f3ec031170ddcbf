"""Delete background export files past their retention and fail jobs whose worker died; cron.

    python manage.py expire_exports      # hourly

Files of jobs finished more than EXPORT_JOB_RETENTION_HOURS ago are deleted (the job stays,
shown to its owner as expired; each deletion is in the audit log as `export_expired`); jobs
still queued or running EXPORT_JOB_TIMEOUT_MINUTES after they were queued are marked failed;
files in MEDIA_ROOT/exports/ that no job refers to are deleted once they are as old as the
retention. The same clean-up runs whenever a job is queued. Prints counts only.
"""

from django.core.management.base import BaseCommand

from feedback.reporting.export_jobs import export_jobs_expire


class Command(BaseCommand):
    help = "Delete expired background export files; fail export jobs that never finished."

    def handle(self, *args, **options):
        result = export_jobs_expire()
        self.stdout.write(
            f"Expired {result.expired} export file(s), failed {result.failed} stuck job(s), "
            f"deleted {result.orphans} orphaned file(s)."
        )
