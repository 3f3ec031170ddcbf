from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("体验反馈")

    def ready(self):
        # Registers the SMS source of official replies (campaigns.sms.delivery).
        from . import notifications  # noqa: F401
