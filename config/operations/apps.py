from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the site: task worker leases and recovery, the sent-message ledger, deploy checks."""

    name = "config.operations"
    label = "operations"
    verbose_name = "operations"

    def ready(self):
        from django_tasks.signals import task_finished, task_started

        from . import checks, signals  # noqa: F401 (registers the checks)

        task_started.connect(signals.task_started, dispatch_uid="operations.task_started")
        task_finished.connect(signals.task_finished, dispatch_uid="operations.task_finished")
