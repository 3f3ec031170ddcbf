"""Chinese names (with English translations) for the admin sections of third-party apps.

django-axes, django-otp and django-tasks-db name their apps and some models in English only
("Axes", "Otp_Totp", "TOTP devices", "Task Results"): the admin index would show them so to
every staff member. Their names are replaced once the apps are loaded
(CampaignsConfig.ready); nothing about their tables changes.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "axes": _("登录防护"),
    "otp_static": _("两步验证：恢复码"),
    "otp_totp": _("两步验证：验证器应用"),
    "django_tasks_database": _("后台任务"),
}
MODEL_NAMES = {
    ("axes", "accessattempt"): _("登录失败记录"),
    ("axes", "accessfailurelog"): _("登录失败日志"),
    ("axes", "accessattemptexpiration"): _("登录锁定期限"),
    ("axes", "accesslog"): _("登录日志"),
    ("otp_static", "staticdevice"): _("恢复码设备"),
    ("otp_static", "statictoken"): _("恢复码"),
    ("otp_totp", "totpdevice"): _("验证器应用"),
    ("django_tasks_database", "dbtaskresult"): _("任务结果"),
}


def name_third_party_apps() -> None:
    for label, name in APP_NAMES.items():
        if config := apps.app_configs.get(label):
            config.verbose_name = name
    for (label, model), name in MODEL_NAMES.items():
        if label in apps.app_configs:
            meta = apps.get_model(label, model)._meta
            meta.verbose_name = meta.verbose_name_plural = name
