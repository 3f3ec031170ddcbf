"""A task's log records carry the id of the request that queued it (config/observability.py).

For the RQ worker and the immediate backend; `db_worker` sets it around the whole task.
"""

from config.observability import set_request_id


def task_started(sender, task_result, **kwargs):
    set_request_id(str((task_result.kwargs or {}).get("request_id") or ""))


def task_finished(sender, task_result, **kwargs):
    set_request_id("")
