"""Background tasks of the signup side: the emails to the public (see notifications.py).

Run by the worker (`python manage.py db_worker`, or `rqworker` with CAMPAIGN_TASKS_BACKEND=rq);
arguments are ids and flags only.
"""

from django_tasks import task

from config.tasks import run_with_retry

from . import notifications


@task()
def send_notification(*, kind: str, record_id: int, by_staff: bool = False,
                      attempt: int = 1) -> bool:
    """Send the email `kind` about a signup, reception case or application; retried on errors."""
    kwargs = {"kind": kind, "record_id": record_id}
    if by_staff:
        kwargs["by_staff"] = True
    return run_with_retry(
        send_notification,
        attempt=attempt,
        kwargs=kwargs,
        work=lambda: notifications.deliver(kind, record_id, by_staff=by_staff),
    )
