from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "feedback.reporting"
    label = "reporting"
    verbose_name = _("数据看板与报表")

    def ready(self):
        from .rollups import connect_rollup_signals

        connect_rollup_signals()
