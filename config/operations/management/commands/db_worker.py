"""`manage.py db_worker`: django-tasks-db's worker, with a lease; recovers dead workers' tasks.

Same options as django-tasks-db's command (this app comes before django_tasks_db in
INSTALLED_APPS, so its command of the same name wins). On top: the worker holds a lease
renewed by a heartbeat thread, and re-queues the tasks that dead workers left RUNNING when it
starts and on every heartbeat (operations/recovery.py, docs/operations.md), and its log lines
while it runs a task carry the id of the request that queued it.
"""

from django_tasks_db.management.commands import db_worker as base

from config.observability import reset_request_id, set_request_id
from config.operations.recovery import Heartbeat, recover_stalled_tasks, release_lease, renew_lease


class LeasedWorker(base.Worker):
    def run(self) -> None:
        # First: tasks still RUNNING under this worker's id belong to a dead earlier process
        # of the same id (systemd restarting `--worker-id host-1`).
        recover_stalled_tasks(restarted=self.worker_id)
        renew_lease(self.worker_id)
        heartbeat = None if self.batch else Heartbeat(self.worker_id)
        if heartbeat:
            heartbeat.start()
        try:
            super().run()
        finally:
            if heartbeat:
                heartbeat.stop()
            release_lease(self.worker_id)

    def run_task(self, db_task_result) -> None:
        """Run it with the id of the request that queued it on every log record."""
        kwargs = (db_task_result.args_kwargs or {}).get("kwargs") or {}
        token = set_request_id(str(kwargs.get("request_id") or ""))
        try:
            super().run_task(db_task_result)
        finally:
            reset_request_id(token)


class Command(base.Command):
    help = "Run a database background worker (with a lease; re-queues dead workers' tasks)"

    def handle(self, *args, **options):
        saved = base.Worker
        base.Worker = LeasedWorker
        try:
            return super().handle(*args, **options)
        finally:
            base.Worker = saved
