from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("活动与报名")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from config.admin_labels import name_third_party_apps

        # Registers the system checks, and the SMS sources the worker's send_sms task looks up.
        from . import checks, notifications  # noqa: F401
        from .access import stamp_staff_login
        from .public_cache import connect_content_signals
        from .services import phone_codes  # noqa: F401

        connect_content_signals()
        name_third_party_apps()
        user_logged_in.connect(stamp_staff_login, dispatch_uid="campaigns-staff-last-seen")
