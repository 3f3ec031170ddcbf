"""Deploy checks for the settings this app owns."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secure_cookies_check(app_configs, **kwargs):
    if settings.DEBUG or getattr(settings, "SECURE_COOKIES", True):
        return []
    return [
        Error(
            "DJANGO_SECURE_COOKIES is off: session and CSRF cookies travel over plain HTTP.",
            hint="Only for a plain-http staging host; production serves HTTPS with it on.",
            id="operations.E001",
        )
    ]
