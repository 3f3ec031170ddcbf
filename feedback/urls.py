from django.urls import path

from . import mine_views, views
from .reporting import urls as reporting_urls

app_name = "feedback"

urlpatterns = [
    path("my/", mine_views.mine, name="mine"),
    path("my/sign-out/", mine_views.mine_sign_out, name="mine_sign_out"),
    path("my/erase/", mine_views.mine_erase, name="mine_erase"),
    path("feedback/", views.wall, name="wall"),
    path("feedback/new/", views.feedback_create, name="create"),
    path("feedback/thanks/", views.feedback_thanks, name="thanks"),
    path("feedback/commitment/", views.commitment, name="commitment"),
    path("feedback/status/", views.status, name="status"),
    path("feedback/status/erase/", views.status_erase, name="status_erase"),
    path("staff/feedback/", views.queue, name="queue"),
    path("staff/feedback/bulk/", views.staff_bulk, name="staff_bulk"),
    path("staff/feedback/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/feedback/<int:pk>/moderate/", views.staff_moderate, name="staff_moderate"),
    path("staff/feedback/<int:pk>/reply/", views.staff_reply, name="staff_reply"),
    path("staff/feedback/<int:pk>/close/", views.staff_close, name="staff_close"),
    *reporting_urls.urlpatterns,
]
