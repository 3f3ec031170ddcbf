"""Staff report pages; included by feedback.urls, so their names are `feedback:<name>`."""

from django.urls import path

from . import views

urlpatterns = [
    path("staff/", views.staff_home, name="staff_home"),
    # From the weekly report's email, without logging in (the signed token is the proof).
    path("weekly-report/unsubscribe/<str:token>/", views.weekly_unsubscribe,
         name="weekly_unsubscribe"),
    path("staff/dashboard/", views.dashboard, name="dashboard"),
    path("staff/report/", views.report, name="report"),
    path("staff/export/feedback.<str:fmt>", views.export_feedback, name="export_feedback"),
    path("staff/export/applications.<str:fmt>", views.export_applications,
         name="export_applications"),
    path("staff/export/officers.<str:fmt>", views.export_officers, name="export_officers"),
    path("staff/export/officer-reports.<str:fmt>", views.export_officer_reports,
         name="export_officer_reports"),
    path("staff/exports/", views.export_job_list, name="export_jobs"),
    path("staff/exports/feedback.<str:fmt>", views.export_job_start, name="export_job_start"),
    path("staff/exports/<int:pk>/download/", views.export_job_download,
         name="export_job_download"),
    path("staff/export/sessions/<int:session_pk>/attendees.<str:fmt>", views.export_attendees,
         name="export_attendees"),
]
