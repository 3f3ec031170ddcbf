from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from campaigns.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
]

# Chinese pages live at /, English ones at /en/: each language has shareable URLs, and the
# language switch is a link to the same page under the other prefix.
urlpatterns += i18n_patterns(
    path(settings.ADMIN_PATH, admin.site.urls),
    # feedback first: its 我的 pages (my/, my/sign-out/) come before campaigns' my/<reference>/.
    path("", include("feedback.urls")),
    path("", include("feedback.officers.urls")),
    path("", include("campaigns.urls")),
    prefix_default_language=False,
)

# A database that stops answering outside a view is still a 503, not a 500 (see config.views).
handler500 = "config.views.server_error"
