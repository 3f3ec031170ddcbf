from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from campaigns.access import can_view_personal_data
from campaigns.admin import PersonalDataAuditMixin
from campaigns.admin_scope import RegionScopedAdmin
from campaigns.masking import mask_email, mask_name, mask_personal_data, mask_phone

from . import services
from .models import Feedback, FeedbackEvent, Reply, ReplyTemplate
from .services import FeedbackError


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReplyInline(ReadOnlyInline):
    model = Reply
    fields = ["created_at", "kind", "author", "body"]
    readonly_fields = fields


class FeedbackEventInline(ReadOnlyInline):
    model = FeedbackEvent
    fields = ["created_at", "actor", "action", "from_state", "to_state", "reason"]
    readonly_fields = fields


@admin.register(Feedback)
class FeedbackAdmin(RegionScopedAdmin, PersonalDataAuditMixin, admin.ModelAdmin):
    """Read-only view of feedback; every change goes through the services (actions, staff page)."""

    list_display = [
        "reference",
        "created_at",
        "kind",
        "theme",
        "activity",
        "overall_score",
        "state",
        "reply_due_at",
        "first_replied_at",
        "closed_at",
    ]
    list_filter = ["state", "kind", "theme", ("activity", admin.RelatedOnlyFieldListFilter),
                   ("region", admin.RelatedOnlyFieldListFilter), "overall_score"]
    list_select_related = ["theme", "activity"]
    # The public (masked) text may be searched; the original and the phone never by substring
    # (by phone: exact, with the permission, audited — PersonalDataAuditMixin).
    search_fields = ["reference", "public_comment"]
    date_hierarchy = "created_at"
    inlines = [ReplyInline, FeedbackEventInline]
    actions = ["publish_selected", "hide_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    audit_list_views = False  # the list shows no name, phone or email
    PERSONAL = {"name": "name_display", "phone": "phone_display", "email": "email_display",
                "comment": "comment_display"}

    def get_readonly_fields(self, request, obj=None):
        # Name, phone and email only unmasked with campaigns.view_personal_data (audited).
        personal = can_view_personal_data(request.user)
        return [
            field.name if personal else self.PERSONAL.get(field.name, field.name)
            for field in self.model._meta.fields
        ]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    @admin.display(description=_("评价内容"))
    def comment_display(self, obj):
        return obj.public_comment or mask_personal_data(obj.comment, names=(obj.name,))

    @admin.display(description=_("姓名"))
    def name_display(self, obj):
        return mask_name(obj.name)

    @admin.display(description=_("手机号"))
    def phone_display(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description=_("电子邮箱"))
    def email_display(self, obj):
        return mask_email(obj.email)

    def _apply(self, request, queryset, service, done_message):
        done, failed = 0, []
        for feedback in queryset.order_by("pk"):
            try:
                with transaction.atomic():
                    service(feedback=feedback, moderator=request.user)
            except FeedbackError:
                failed.append(feedback.reference)
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"n": done}, messages.SUCCESS)
        if failed:
            self.message_user(
                request,
                _("状态不允许此操作：%(refs)s") % {"refs": "、".join(failed)},
                messages.WARNING,
            )

    @admin.action(description=_("发布所选反馈"), permissions=["moderate"])
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, services.feedback_publish, _("已发布 %(n)d 条反馈。"))

    @admin.action(description=_("隐藏所选反馈"), permissions=["moderate"])
    def hide_selected(self, request, queryset):
        self._apply(request, queryset, services.feedback_hide, _("已隐藏 %(n)d 条反馈。"))

    def has_moderate_permission(self, request):
        return request.user.has_perm("feedback.moderate_feedback")


@admin.register(FeedbackEvent)
class FeedbackEventAdmin(RegionScopedAdmin, admin.ModelAdmin):
    region_path = "feedback__region"
    list_display = ["created_at", "feedback", "action", "from_state", "to_state", "actor", "reason"]
    list_filter = ["action", "created_at"]
    list_select_related = ["feedback", "actor"]
    search_fields = ["feedback__reference", "reason"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "theme", "order"]
    list_filter = ["theme"]
    list_editable = ["order"]
    search_fields = ["title", "body"]
