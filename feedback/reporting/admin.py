"""The background export jobs in the admin (superusers, or whoever is given the model
permissions): read-only, deleting goes through the service that removes the file too."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.regions import scope_for
from feedback.models import ExportJob

from . import export_jobs


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Every user's background exports, read-only: who exported what, masked or not, and
    whether the file is still there. Deleting (one job or the "delete selected" action)
    goes through `export_jobs.export_job_delete`, which removes the file too and audits it.
    Model permissions `view_exportjob` / `delete_exportjob`: superusers only, unless given
    to a person or group (docs/dashboard.md). The owner appears by username only."""

    list_display = ["id", "user", "export", "format", "status_display", "rows",
                    "unmasked", "created_at", "finished_at"]
    list_filter = ["status", "format"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    date_hierarchy = "created_at"
    fields = ["user", "export", "format", "language", "filters", "unmasked", "status_display",
              "rows", "file_state", "created_at", "finished_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        # Everyone's exports, of every region: the national team's to oversee.
        queryset = super().get_queryset(request)
        return queryset if scope_for(request.user).national else queryset.none()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("状态"), ordering="status")
    def status_display(self, obj):
        return _("已过期") if obj.expired else obj.get_status_display()

    @admin.display(description=_("行数"))
    def rows(self, obj):
        return obj.rows_done if obj.rows_total is None else f"{obj.rows_done} / {obj.rows_total}"

    @admin.display(description=_("文件"))
    def file_state(self, obj):
        # Never a link: the file is served to its owner only, by the staff page.
        if obj.status == ExportJob.Status.DONE and obj.file:
            return _("可下载（保留至 %(time)s）") % {
                "time": timezone.localtime(obj.expires_at).strftime("%Y-%m-%d %H:%M")
            }
        return _("已删除") if obj.expired else "—"

    def delete_model(self, request, obj):
        export_jobs.export_job_delete(job=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for job in queryset.order_by("pk"):
            export_jobs.export_job_delete(job=job, actor=request.user)
