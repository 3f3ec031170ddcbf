from django.urls import path

from . import signup_views, staff_views, views

app_name = "campaigns"

urlpatterns = [
    path("", views.home, name="home"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/<slug:slug>/", views.activity_detail, name="activity_detail"),
    path(
        "activities/<slug:slug>/sessions/<int:pk>/signup/",
        signup_views.signup_create,
        name="signup",
    ),
    path("activities/<slug:slug>/apply/", signup_views.application_create, name="apply"),
    path("signup/done/<str:reference>/", signup_views.signup_done, name="signup_done"),
    path("my/lookup/", signup_views.my_lookup, name="my_lookup"),
    path("my/link/<str:token>/", signup_views.my_link, name="my_link"),
    path("my/<str:reference>/", signup_views.my_detail, name="my_detail"),
    path("my/<str:reference>/cancel/", signup_views.my_cancel, name="my_cancel"),
    path("my/<str:reference>/erase/", signup_views.my_erase, name="my_erase"),
    path("my/<str:reference>/resend/", signup_views.my_resend, name="my_resend"),
    path("my/<str:reference>/calendar.ics", signup_views.my_calendar, name="my_calendar"),
    path("v/<str:code>", signup_views.video_link, name="video_link"),
    path("staff/access-log/", staff_views.access_log, name="access_log"),
    path("staff/2fa/", staff_views.second_factor, name="second_factor"),
    path("staff/2fa/setup/", staff_views.second_factor_setup, name="second_factor_setup"),
    path("commitments/", views.commitments, name="commitments"),
    path("care/<slug:mode>/", views.care_switch, name="care_switch"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("privacy/<str:version>/", views.privacy_notice, name="privacy_version"),
]
