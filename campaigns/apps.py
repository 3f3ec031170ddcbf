from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("活动与报名")

    def ready(self):
        from .public_cache import connect_content_signals

        connect_content_signals()
