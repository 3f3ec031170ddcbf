from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficersConfig(AppConfig):
    name = "feedback.officers"
    label = "officers"
    verbose_name = _("服务体验官")

    def ready(self):
        # Registers the SMS sources of tasks and returned reports (campaigns.sms.delivery).
        from . import notifications  # noqa: F401
