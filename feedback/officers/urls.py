"""The officer programme's pages, namespace `officers`."""

from django.urls import path

from . import views

app_name = "officers"

urlpatterns = [
    path("officer/", views.zone, name="zone"),
    path("officer/tasks/<int:task_pk>/report/", views.report_new, name="report_new"),
    path("officer/reports/<int:pk>/", views.report_edit, name="report"),
    path("officer/images/<int:pk>", views.report_image, name="image"),
    path("officer/certificate/", views.certificate, name="certificate"),
    path("officer/certificates/", views.certificate_lookup, name="certificate_lookup"),
    path("officer/certificates/<str:code>/", views.certificate_verify,
         name="certificate_verify"),
    path("officer/programme/<slug:slug>/", views.programme_page, name="programme"),
    path("staff/officer-reports/", views.review_queue, name="review_queue"),
    path("staff/officer-reports/<int:pk>/", views.review_detail, name="review"),
    path("staff/officer-reports/<int:pk>/case/", views.review_case_open, name="case_open"),
    path("staff/officer-reports/<int:pk>/case/reply/", views.review_case_reply,
         name="case_reply"),
]
