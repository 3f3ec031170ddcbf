"""Site-wide views that belong to no app: error handlers and the admin lockout page."""

import sys

from django.conf import settings
from django.shortcuts import render
from django.views import defaults

from config.middleware import database_unavailable_response, is_database_unavailable


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: an unreachable database is a 503 (try again soon), anything else a 500."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return defaults.server_error(request, template_name)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response: the site's page, no username echoed back."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "lockout.html",
        {"cooloff_minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
