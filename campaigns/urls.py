from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.home, name="home"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/<slug:slug>/", views.activity_detail, name="activity_detail"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("privacy/<str:version>/", views.privacy_notice, name="privacy_version"),
]
