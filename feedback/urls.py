from django.urls import path

from . import dashboard_views, views

app_name = "feedback"

urlpatterns = [
    path("feedback/", views.wall, name="wall"),
    path("feedback/new/", views.feedback_create, name="create"),
    path("feedback/thanks/", views.feedback_thanks, name="thanks"),
    path("feedback/commitment/", views.commitment, name="commitment"),
    path("feedback/status/", views.status, name="status"),
    path("staff/feedback/", views.queue, name="queue"),
    path("staff/feedback/bulk/", views.staff_bulk, name="staff_bulk"),
    path("staff/feedback/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/feedback/<int:pk>/moderate/", views.staff_moderate, name="staff_moderate"),
    path("staff/feedback/<int:pk>/reply/", views.staff_reply, name="staff_reply"),
    path("staff/feedback/<int:pk>/close/", views.staff_close, name="staff_close"),
    path("staff/dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("staff/report/", dashboard_views.report, name="report"),
    path("staff/export/feedback.<str:fmt>", dashboard_views.export_feedback,
         name="export_feedback"),
    path("staff/export/applications.<str:fmt>", dashboard_views.export_applications,
         name="export_applications"),
    path("staff/exports/", dashboard_views.export_job_list, name="export_jobs"),
    path("staff/exports/feedback.<str:fmt>", dashboard_views.export_job_start,
         name="export_job_start"),
    path("staff/exports/<int:pk>/download/", dashboard_views.export_job_download,
         name="export_job_download"),
    path("staff/export/sessions/<int:session_pk>/attendees.<str:fmt>",
         dashboard_views.export_attendees, name="export_attendees"),
]
