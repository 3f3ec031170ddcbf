from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from campaigns.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
]

# Chinese pages live at /, English ones at /en/: each language has shareable URLs.
# The language switch posts to the prefix of the page it is on (/en/i18n/setlang/ from an
# English page), so that Django can resolve that page's URL and translate it: posted to the
# unprefixed URL, it is resolved as Chinese and /en/… pages stayed English.
urlpatterns += i18n_patterns(
    path("i18n/setlang/", set_language, name="set_language"),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", include("campaigns.urls")),
    path("", include("feedback.urls")),
    prefix_default_language=False,
)

# A database that stops answering outside a view is still a 503, not a 500 (see config.views).
handler500 = "config.views.server_error"
