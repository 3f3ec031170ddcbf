from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, reverse

from config.health import healthz, readyz
from feedback.reporting.metrics import metrics


def staff_login(request, **kwargs):
    """The admin's login page, landing on 工作台 (feedback:staff_home) rather than on an admin
    index that a role without model permissions cannot use."""
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        request.GET = request.GET.copy()
        request.GET[REDIRECT_FIELD_NAME] = reverse("feedback:staff_home")
    return admin.site.login(request, **kwargs)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the static file."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("favicon.ico", favicon),
]

# Chinese pages live at /, English ones at /en/: each language has shareable URLs, and the
# language switch is a link to the same page under the other prefix.
urlpatterns += i18n_patterns(
    path(settings.ADMIN_PATH + "login/", staff_login, name="staff_login"),
    path(settings.ADMIN_PATH, admin.site.urls),
    # feedback first: its 我的 pages (my/, my/sign-out/) come before campaigns' my/<reference>/.
    path("", include("feedback.urls")),
    path("", include("feedback.officers.urls")),
    path("", include("campaigns.urls")),
    prefix_default_language=False,
)

# A database that stops answering outside a view is still a 503, not a 500 (see config.views).
handler500 = "config.views.server_error"
