"""Background tasks of the feedback side: emails to customers and to moderators, report
files, dashboard rollups.

Queued after commit by feedback.services (replies, closing), by `feedback_overdue --notify`
and by the dashboard (stale rollups); run by the worker; arguments are ids only; email
failures are retried (config/tasks.py).
"""

from django_tasks import task

from config.tasks import run_with_retry

from . import notifications


def _send(message) -> bool:
    if message is None:
        return False
    message.send()
    return True


@task()
def notify_customer(*, feedback_id: int, reply_id: int | None = None, attempt: int = 1) -> bool:
    """Email the customer about an official reply, or (without reply_id) the case's closing."""
    kwargs = {"feedback_id": feedback_id}
    if reply_id:
        kwargs["reply_id"] = reply_id
    return run_with_retry(
        notify_customer,
        attempt=attempt,
        kwargs=kwargs,
        work=lambda: _send(
            notifications.customer_message(feedback_id=feedback_id, reply_id=reply_id)
        ),
    )


@task()
def alert_overdue(*, attempt: int = 1) -> bool:
    """Email the moderators the cases past their first-reply deadline, as they are now."""
    return run_with_retry(
        alert_overdue, attempt=attempt, kwargs={},
        work=lambda: _send(notifications.overdue_alert()),
    )


@task()
def run_export_job(*, job_id: int) -> None:
    """Write a background export's file (feedback.export_jobs); not retried: the owner sees
    the failure on the page and starts it again."""
    from .export_jobs import export_job_run

    export_job_run(job_id=job_id)


@task()
def build_dashboard_rollups() -> int:
    """Build the dashboard rollups of every stale or new past day (feedback.rollups); returns
    the number of days marked fresh. Not retried: the next view that meets a stale day
    queues it again, and cron runs `manage.py rollup_feedback` anyway."""
    from .rollups import rollup_all

    return rollup_all().fresh
