"""Staff prepare experience tasks in the admin and publish them with an action (SMS to the
officers each task targets); reports are reviewed on their own page (officers:review)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from campaigns.admin_content import (
    ContentAdmin,
    ContentForm,
    in_both_languages,
    one_row,
)
from campaigns.admin_scope import RegionScopedAdmin
from campaigns.services.errors import DomainError
from feedback.models import DIMENSIONS

from . import services
from .models import Certificate, ExperienceReport, ExperienceTask, OfficerProgramme


class ExperienceTaskForm(ContentForm):
    """Dimensions as checkboxes instead of raw JSON; a city audience names its cities."""

    dimensions = forms.MultipleChoiceField(label=_("评分维度"), choices=DIMENSIONS,
                                           widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ExperienceTask
        fields = ["programme", "title", "theme", "items", "is_online", "opens_at", "closes_at",
                  "instructions", "dimensions", "evidence", "reports_per_officer", "points",
                  "audience", "regions", "officers"]

    def clean(self):
        data = super().clean()
        if data.get("audience") == ExperienceTask.Audience.CITIES and not data.get("regions"):
            self.add_error("regions", _("面向指定城市时，请至少选择一个城市。"))
        return data


@admin.register(ExperienceTask)
class ExperienceTaskAdmin(RegionScopedAdmin, ContentAdmin):
    region_path = "programme__region"
    form = ExperienceTaskForm
    fields = ["programme", one_row("title"), "theme", "items", "is_online", "opens_at",
              "closes_at", one_row("instructions"), "dimensions", "evidence",
              "reports_per_officer", "points", "audience", "regions", "officers"]
    search_fields = in_both_languages("title")
    list_display = ("title", "theme", "opens_at", "closes_at", "audience", "points",
                    "published_at")
    list_filter = ("audience", "theme")
    filter_horizontal = ("items", "officers")
    autocomplete_fields = ("regions",)
    actions = ["publish"]

    @admin.action(description=_("发布所选任务（短信通知面向的体验官）"))
    def publish(self, request, queryset):
        for task in queryset:
            try:
                services.task_publish(task=task, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{task}: {error.messages[0]}", messages.WARNING)
            else:
                self.message_user(request, _("已发布：%(task)s") % {"task": task})


@admin.register(ExperienceReport)
class ExperienceReportAdmin(RegionScopedAdmin, admin.ModelAdmin):
    """Read-only here: the review goes through the review page and its service."""

    region_path = "officer__region"

    list_display = ("task", "status", "submitted_at", "points_awarded")
    list_filter = ("status", ("task", admin.RelatedOnlyFieldListFilter))
    readonly_fields = [f.name for f in ExperienceReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OfficerProgramme)
class OfficerProgrammeAdmin(RegionScopedAdmin, admin.ModelAdmin):
    region_path = "activity__region"
    list_display = ("activity", "public_page", "certificate_min_reports")


@admin.register(Certificate)
class CertificateAdmin(RegionScopedAdmin, admin.ModelAdmin):
    """Issued by the service when an officer opens the certificate; read-only here."""

    region_path = "officer__region"

    list_display = ("code", "reports", "points", "issued_at")
    readonly_fields = ("officer", "code", "reports", "points", "issued_at")
    search_fields = ("code",)

    def has_add_permission(self, request):
        return False
