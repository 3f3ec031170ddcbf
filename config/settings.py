"""Settings for the 优质服务体验季 site.

Everything a deployer may change is read from the environment (see README.md and
.env.example). The defaults are safe for a developer: SQLite, local-memory cache, console
email, DEBUG on only when DJANGO_DEBUG says so.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from config.logredact import install_log_redaction

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The admin lives at a configurable path so that it is not where scanners look first.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    # Before the admin: English fields for the campaign's content (see Internationalisation).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "config.apps.StaticFiles",  # django.contrib.staticfiles, leaving out static/build/
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    # Before django_tasks_db: its `db_worker` (with a lease, recovering dead workers' tasks)
    # replaces the package's command of that name.
    "config.operations",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "campaigns",
    "feedback",
    "feedback.officers",
    "feedback.reporting",
    # Last: Django's own widget templates, found by the project's template engine below.
    "django.forms",
]

MIDDLEWARE = [
    # First: X-Forwarded-* from a peer that is not a trusted proxy are dropped (config/clientip.py),
    # then every request gets its id and its one JSON log line (config/observability.py).
    "config.clientip.ForwardedHeadersMiddleware",
    "config.observability.RequestLogMiddleware",
    # An anonymous visitor's cached public page is answered here, before every middleware it
    # does not need; it was stored with the headers and compression those below gave it
    # (campaigns/public_cache.py).
    "campaigns.public_cache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Security headers first, so that every response (static files, 404s, error pages) has them.
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed here (static files already are, by WhiteNoise, which answers them
    # above). Before every middleware that reads or writes the body; Django pads each gzip
    # stream with random bytes against BREACH, and CSRF tokens are masked per response.
    # DJANGO_GZIP=0 when the proxy in front compresses instead (docs/performance.md).
    *(["django.middleware.gzip.GZipMiddleware"] if env_bool("DJANGO_GZIP", True) else []),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sessions end when idle; staff who can see personal data need a second factor.
    "campaigns.access.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A database that does not answer becomes the 503 page, not a traceback.
    "config.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "campaigns.context_processors.site",
            ],
        },
    },
]
# Forms draw their widgets with the engine above, so a widget's template can live in
# templates/ (campaigns/_content_select.html marks options that show Chinese on /en/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database ---------------------------------------------------------------------------
# DATABASE_URL, e.g. postgres://user@127.0.0.1:5432/campaign; SQLite file by default.

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Behind PgBouncer in transaction mode a server-side cursor (QuerySet.iterator()) may outlive
# the transaction that opened it on the server connection: use client-side cursors.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DJANGO_PGBOUNCER", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two signups cannot both
    # read "one place left" and both write; WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------
# REDIS_URL, e.g. redis://127.0.0.1:6379/0, shares the cache (and so rate limits) across
# processes; without it each process keeps its own local-memory cache. When Redis does not
# answer, the cache behaves as an empty one (misses, writes dropped) and logs once, instead of
# failing the page: see config/cache.py and docs/security.md.

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "yzfw"),
            "TIMEOUT": 300,
            "OPTIONS": {
                # Short timeouts: a Redis host that drops packets must not hang every request.
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks -------------------------------------------------------------------
# Every email goes out through django-tasks (the backport of Django 6's tasks framework),
# enqueued after the transaction commits. CAMPAIGN_TASKS_BACKEND picks the queue:
#   database  (default) rows in this database; run `python manage.py db_worker`
#   rq        Redis via RQ (CAMPAIGN_TASKS_REDIS_URL, default REDIS_URL); run
#             `python manage.py rqworker default --job-class django_tasks_rq.Job --with-scheduler`
#   immediate run in the web process at once, without retries (tests only)
# See docs/security.md, "Background tasks and email".

TASKS_BACKEND = os.environ.get("CAMPAIGN_TASKS_BACKEND", "database").strip().lower() or "database"
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"CAMPAIGN_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    TASKS_REDIS_URL = os.environ.get("CAMPAIGN_TASKS_REDIS_URL", "") or REDIS_URL
    if not TASKS_REDIS_URL:
        raise ImproperlyConfigured(
            "CAMPAIGN_TASKS_BACKEND=rq needs CAMPAIGN_TASKS_REDIS_URL or REDIS_URL."
        )
    if "socket_connect_timeout=" not in TASKS_REDIS_URL:
        # A Redis host that drops packets must not hang the request that queues an email.
        # (Only the connect timeout: the worker's blocking reads wait longer by design.)
        TASKS_REDIS_URL += ("&" if "?" in TASKS_REDIS_URL else "?") + (
            "socket_connect_timeout=" + os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 300}}

# A worker renews its lease every quarter of this; a task held by a worker whose lease is this
# old is put back in the queue (operations/recovery.py, docs/operations.md).
TASK_WORKER_LEASE_SECONDS = int(os.environ.get("CAMPAIGN_TASKS_LEASE_SECONDS", "60"))

# With RQ a task is first written to the outbox (operations.PendingTask) in the transaction of
# the record it is about, and pushed to Redis once that commits. A row still there this many
# seconds later was left by a process that died or a Redis that did not answer:
# `manage.py recover_tasks` (every minute, deploy/) pushes it (docs/operations.md).
TASK_OUTBOX_GRACE_SECONDS = 30

# A failed email is tried again after these many seconds (then given up and logged):
# 1 + len(EMAIL_RETRY_DELAYS) attempts in all, the last about 2.5 hours after the first.
EMAIL_RETRY_DELAYS = [60, 300, 1800, 7200]

# --- Auth -------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Staff who may view or export personal data, and every superuser, sign in with a second
# factor (TOTP app, or a recovery code): on unless debugging (the development run's printed
# login keeps working); China's graded protection scheme (等保 2.0) expects it.
STAFF_SECOND_FACTOR = env_bool("CAMPAIGN_STAFF_2FA", not DEBUG)
# A staff session ends after this many idle minutes (and on any password change).
STAFF_IDLE_MINUTES = int(os.environ.get("CAMPAIGN_STAFF_IDLE_MINUTES", "30"))
OTP_TOTP_ISSUER = "优质服务体验季"

# django-axes counts failed logins in the database (so the lockout holds without Redis and
# across processes) and must come first among the backends.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "30")))
# One username tried from one address: an attacker cannot lock a colleague out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "config.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "config.clientip.client_ip"

# --- Internationalisation ---------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# The campaign's content (activities, themes, sessions, experience tasks) in both languages,
# by django-modeltranslation (campaigns/translation.py, feedback/officers/translation.py):
# each text has a Chinese column (required where the text is) and an English one (optional);
# the English site shows the Chinese where the English is empty, marked lang="zh-Hans"
# (campaigns/content.py). In the admin each text is asked for twice, in one form row:
# "标题（中文）" then "标题（英文）"; slugs are filled from the English title.
MODELTRANSLATION_DEFAULT_LANGUAGE = "zh-hans"
MODELTRANSLATION_LANGUAGES = ("zh-hans", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("zh-hans",)
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"
_CONTENT_LANGUAGE_LABELS = {"zh-hans": _("中文"), "en": _("英文")}


def _content_field_label(verbose_name, language):
    return format_lazy(
        _("{field}（{language}）"), field=verbose_name, language=_CONTENT_LANGUAGE_LABELS[language]
    )


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = _content_field_label

# --- Static files -----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Files the site writes (background exports): private, served only through views that check
# the owner, never as static files (no MEDIA_URL route).
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# In development WhiteNoise serves straight from the finders; the settings' DEBUG (not the
# test runner's) decides, so tests need no collectstatic either.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ------------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# Where the file backend (DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend,
# for a staging host that must not email anyone) writes one file per message.
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "email-outbox"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "优质服务体验季 <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ---------------------------------------------------------------------------
# Production (DEBUG off) gets HTTPS-only cookies, HSTS and a redirect to HTTPS.
#
# DJANGO_TRUSTED_PROXIES: the addresses (or networks) of the reverse proxies in front, e.g.
# "127.0.0.1,::1" for nginx on the same host. One setting for everything that believes a
# forwarded header (config/clientip.py): SECURE_PROXY_SSL_HEADER, gunicorn's
# forwarded_allow_ips, the client address of rate limits and the admin lockout. Empty: no proxy,
# X-Forwarded-Proto and X-Forwarded-For are ignored everywhere.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
_REPLACED = (
    "DJANGO_SECURE_PROXY_SSL_HEADER",
    "DJANGO_TRUSTED_PROXY_COUNT",
    "GUNICORN_FORWARDED_ALLOW_IPS",
)
for _name in _REPLACED:
    if os.environ.get(_name, "").strip() not in ("", "0"):
        raise ImproperlyConfigured(
            f"{_name} is no longer read: list the proxies in DJANGO_TRUSTED_PROXIES instead "
            "(README.md, Configuration)."
        )
# Off only for a plain-http staging host (the cookies would never come back over http, and
# every form would answer 403); `check --deploy` refuses it (operations.E001).
SECURE_COOKIES = env_bool("DJANGO_SECURE_COOKIES", True)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script of ours reads the CSRF cookie (forms carry the token), so scripts may not either.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = SECURE_COOKIES
    CSRF_COOKIE_SECURE = SECURE_COOKIES
    LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
    # Probes (load balancer, monitoring) may speak plain http on the loopback.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4): only our own scripts, styles, fonts and images run;
# no inline script or style (templates use static files only), no framing, no plugins.
# Bootstrap's CSS draws its icons from data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Browser features the site never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# --- Logging ----------------------------------------------------------------------------
# Personal data never goes to logs: request bodies are not logged, and code logs ids, not
# names or phone numbers.

# Every log record is written with self-service tokens, reference codes and mobile numbers
# redacted (config/logredact.py), whatever logs it: Django, the tasks, gunicorn's access log.
install_log_redaction()

# json (default in production): one JSON object per line, for a log shipper; plain: text.
# Every record carries the request id of the request (or the task it queued) it belongs to,
# and a 4xx is logged as one line without a traceback (config/observability.py).
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be json or plain.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "config.observability.RequestIdFilter"},
        "quiet_client_errors": {"()": "config.observability.QuietClientErrorsFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "config.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "quiet_client_errors"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Failed logins and lockouts are warnings (username and address masked by axes);
        # its INFO messages (start-up banner, clean-ups) are noise.
        "axes": {"level": "WARNING"},
    },
}

# --- Monitoring -------------------------------------------------------------------------
# /metrics (Prometheus: requests, the campaign's figures, the queue) answers a scraper from
# one of these addresses or networks, or one sending "Authorization: Bearer <token>"; anyone
# else gets 404. /healthz (alive) and /readyz (database, Redis, migrations) are open.
METRICS_ALLOWED_IPS = env_list("CAMPAIGN_METRICS_ALLOWED_IPS", "127.0.0.1,::1")
METRICS_TOKEN = os.environ.get("CAMPAIGN_METRICS_TOKEN", "")

# --- Campaign ---------------------------------------------------------------------------

# The operator's public commitment: first reply to a complaint within this many hours.
FIRST_REPLY_HOURS = int(os.environ.get("CAMPAIGN_FIRST_REPLY_HOURS", "48"))
# The escalation ladder: hours after the first-reply deadline at which an unanswered case
# reaches the city team, the province and the national team (campaigns.services.escalation).
CASE_ESCALATION_HOURS = tuple(
    int(hours) for hours in env_list("CAMPAIGN_ESCALATION_HOURS") or ("0", "24", "48")
)
if len(CASE_ESCALATION_HOURS) != 3 or list(CASE_ESCALATION_HOURS) != sorted(CASE_ESCALATION_HOURS):
    raise ImproperlyConfigured("CAMPAIGN_ESCALATION_HOURS: three ascending hours, e.g. 0,24,48")

# The site's public address, for links in emails (self-service link, calendar file).
SITE_URL = os.environ.get("CAMPAIGN_SITE_URL", "http://localhost:8000")

# Public pages for anonymous visitors are cached (campaigns/public_cache.py) and refreshed
# whenever what they show changes; without Redis the cache is per process, hence short-lived.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("CAMPAIGN_PAGE_CACHE_SECONDS", "300"))
PUBLIC_PAGE_CACHE_LOCAL_SECONDS = int(os.environ.get("CAMPAIGN_PAGE_CACHE_LOCAL_SECONDS", "5"))

# Who `feedback_overdue --notify` emails; empty: every moderator with an email address.
FEEDBACK_ALERT_EMAILS = env_list("CAMPAIGN_ALERT_EMAILS")

# Personal data of signups, applications, GM-reception cases and feedback contacts is erased
# this many days after the activity ended or the case closed (`manage.py
# purge_personal_data`, daily from cron); statistics are kept.
RETENTION_DAYS = int(os.environ.get("CAMPAIGN_RETENTION_DAYS", "180"))
# A self-service link (/my/link/…) works this many days after the activity ended or after
# it was sent, whichever is later; a new one can be sent from 我的报名.
SELF_SERVICE_LINK_DAYS = int(os.environ.get("CAMPAIGN_LINK_VALID_DAYS", "30"))

# Background exports (feedback/reporting/export_jobs.py) hold personal data: their files are deleted
# this many hours after the job finished (`manage.py expire_exports`, hourly from cron, and
# whenever a job is queued); a job still queued or running this many minutes after it was
# queued is marked failed (its worker died).
EXPORT_JOB_RETENTION_HOURS = int(os.environ.get("CAMPAIGN_EXPORT_RETENTION_HOURS", "72"))
EXPORT_JOB_TIMEOUT_MINUTES = int(os.environ.get("CAMPAIGN_EXPORT_TIMEOUT_MINUTES", "60"))

# --- Text messages (campaigns/sms/) -------------------------------------------------------
# CAMPAIGN_SMS_BACKEND: console (prints), locmem (tests), file (one JSON line per message in
# CAMPAIGN_SMS_FILE_PATH), aliyun or tencent (the providers' SDKs; see README.md).
SMS_BACKEND = os.environ.get("CAMPAIGN_SMS_BACKEND", "console").strip() or "console"
SMS_FILE_PATH = os.environ.get("CAMPAIGN_SMS_FILE_PATH", str(BASE_DIR / "sms-outbox.jsonl"))
# The sign the provider approved (shown as 【…】 before every message).
SMS_SIGN_NAME = os.environ.get("CAMPAIGN_SMS_SIGN_NAME", "中国移动")
# One approved template per kind of message (campaigns/sms/catalogue.py has their text).
SMS_TEMPLATES = {
    "code": os.environ.get("CAMPAIGN_SMS_TEMPLATE_CODE", ""),
    "signup_confirmed": os.environ.get("CAMPAIGN_SMS_TEMPLATE_SIGNUP_CONFIRMED", ""),
    "signup_promoted": os.environ.get("CAMPAIGN_SMS_TEMPLATE_SIGNUP_PROMOTED", ""),
    "application_result": os.environ.get("CAMPAIGN_SMS_TEMPLATE_APPLICATION_RESULT", ""),
    "reception_video": os.environ.get("CAMPAIGN_SMS_TEMPLATE_RECEPTION_VIDEO", ""),
    "reply": os.environ.get("CAMPAIGN_SMS_TEMPLATE_REPLY", ""),
    "task_opened": os.environ.get("CAMPAIGN_SMS_TEMPLATE_TASK_OPENED", ""),
    "report_returned": os.environ.get("CAMPAIGN_SMS_TEMPLATE_REPORT_RETURNED", ""),
}
SMS_ALIYUN = {
    "access_key_id": os.environ.get("CAMPAIGN_SMS_ALIYUN_ACCESS_KEY_ID", ""),
    "access_key_secret": os.environ.get("CAMPAIGN_SMS_ALIYUN_ACCESS_KEY_SECRET", ""),
    "endpoint": os.environ.get("CAMPAIGN_SMS_ALIYUN_ENDPOINT", "dysmsapi.aliyuncs.com"),
}
SMS_TENCENT = {
    "secret_id": os.environ.get("CAMPAIGN_SMS_TENCENT_SECRET_ID", ""),
    "secret_key": os.environ.get("CAMPAIGN_SMS_TENCENT_SECRET_KEY", ""),
    "region": os.environ.get("CAMPAIGN_SMS_TENCENT_REGION", "ap-guangzhou"),
    "sdk_app_id": os.environ.get("CAMPAIGN_SMS_TENCENT_SDK_APP_ID", ""),
}
# Signups, bookings, applications, feedback asking for a reply and 我的 need a code sent to the
# number (on unless debugging; the dev run switches it on and prints the codes).
SMS_VERIFY = env_bool("CAMPAIGN_SMS_VERIFY", not DEBUG)
SMS_CODE_VALID_SECONDS = 300
SMS_CODE_RESEND_SECONDS = int(os.environ.get("CAMPAIGN_SMS_RESEND_SECONDS", "60"))
SMS_CODE_MAX_ATTEMPTS = 5
# How long a code once checked counts for this browser (the form may still need fixing),
# and how long 我的 stays signed in.
SMS_VERIFIED_MINUTES = int(os.environ.get("CAMPAIGN_SMS_VERIFIED_MINUTES", "30"))

# --- Rate limits ------------------------------------------------------------------------
# "count/period" (period in s, m, h or d) per client IP and per phone number, counted in the
# cache (shared across processes when REDIS_URL is set). Behind a reverse proxy, list it in
# DJANGO_TRUSTED_PROXIES so the client's address is taken from X-Forwarded-For.

RATELIMIT_ENABLED = env_bool("CAMPAIGN_RATELIMIT_ENABLED", True)
RATELIMITS = {
    "signup_ip": os.environ.get("CAMPAIGN_RATELIMIT_SIGNUP_IP", "30/h"),
    "signup_phone": os.environ.get("CAMPAIGN_RATELIMIT_SIGNUP_PHONE", "10/h"),
    "lookup_ip": os.environ.get("CAMPAIGN_RATELIMIT_LOOKUP_IP", "20/h"),
    "lookup_phone": os.environ.get("CAMPAIGN_RATELIMIT_LOOKUP_PHONE", "10/h"),
    "feedback_ip": os.environ.get("CAMPAIGN_RATELIMIT_FEEDBACK_IP", "5/10m"),
    "feedback_phone": os.environ.get("CAMPAIGN_RATELIMIT_FEEDBACK_PHONE", "5/h"),
    # Verification codes sent (besides one per number per SMS_CODE_RESEND_SECONDS).
    "sms_phone_hour": os.environ.get("CAMPAIGN_RATELIMIT_SMS_PHONE_HOUR", "5/h"),
    "sms_phone_day": os.environ.get("CAMPAIGN_RATELIMIT_SMS_PHONE_DAY", "10/d"),
    "sms_ip": os.environ.get("CAMPAIGN_RATELIMIT_SMS_IP", "20/h"),
}
