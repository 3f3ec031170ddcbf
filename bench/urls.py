from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def hello(request):
    """The cheapest Django response: the baseline every page is measured against."""
    return HttpResponse("hello\n", content_type="text/plain")


urlpatterns = [path("bench/hello", hello), *site_urlpatterns]
