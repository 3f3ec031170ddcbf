"""The floor: a bare Django hello-world, as `startproject` makes it (its middleware and apps, no
database). bench/load.py serves it with gunicorn beside the site, in the same run and with the
same gunicorn settings, and reports every page against it."""

from django.http import HttpResponse
from django.urls import path

SECRET_KEY = "bench-floor-not-secret"  # noqa: S105 (loopback benchmark only)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.floor.settings"
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
DATABASES = {}
USE_TZ = True
STATIC_URL = "static/"


def hello(request):
    return HttpResponse("hello\n", content_type="text/plain")


urlpatterns = [path("bench/hello", hello)]
