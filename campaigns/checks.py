"""System checks for what a deployer configures: text messages that could never arrive.

`manage.py check` (and every start) fails when a provider backend misses its keys or a
template; `check --deploy` warns when codes are required but would only be printed, and when
the sign or the site's host would push a message past one SMS segment.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .sms.catalogue import SIGN_MAX_CHARS

PROVIDER_KEYS = {
    "aliyun": ("SMS_ALIYUN", "CAMPAIGN_SMS_ALIYUN_", ("access_key_id", "access_key_secret")),
    "tencent": ("SMS_TENCENT", "CAMPAIGN_SMS_TENCENT_",
                ("secret_id", "secret_key", "sdk_app_id")),
}
LOCAL_BACKENDS = ("console", "locmem", "file")
HOST_MAX_CHARS = 24  # the reception_video template's `host` variable


@register()
def sms_provider_configured(app_configs, **kwargs):
    backend = settings.SMS_BACKEND
    if backend not in PROVIDER_KEYS:
        return []
    setting, prefix, keys = PROVIDER_KEYS[backend]
    conf = getattr(settings, setting)
    missing = [prefix + key.upper() for key in keys if not conf.get(key)]
    missing += [f"CAMPAIGN_SMS_TEMPLATE_{kind.upper()}"
                for kind, template in settings.SMS_TEMPLATES.items() if not template]
    if not missing:
        return []
    return [Error(f"CAMPAIGN_SMS_BACKEND={backend} needs {', '.join(missing)}.",
                  hint="See README.md, section Text messages.", id="campaigns.E001")]


@register(Tags.security, deploy=True)
def sms_reaches_people(app_configs, **kwargs):
    issues = []
    if settings.SMS_VERIFY and settings.SMS_BACKEND in LOCAL_BACKENDS:
        issues.append(Warning(
            f"SMS codes are required but CAMPAIGN_SMS_BACKEND={settings.SMS_BACKEND} sends "
            "nothing: nobody could sign up.",
            hint="Set CAMPAIGN_SMS_BACKEND=aliyun or tencent (README.md, Text messages).",
            id="campaigns.W001",
        ))
    host = urlsplit(settings.SITE_URL).netloc
    if len(settings.SMS_SIGN_NAME) > SIGN_MAX_CHARS or len(host) > HOST_MAX_CHARS:
        issues.append(Warning(
            f"CAMPAIGN_SMS_SIGN_NAME longer than {SIGN_MAX_CHARS} characters or the host of "
            f"CAMPAIGN_SITE_URL longer than {HOST_MAX_CHARS}: some messages would take two "
            "SMS segments.",
            id="campaigns.W002",
        ))
    return issues
