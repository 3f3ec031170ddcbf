import threading

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .access import can_view_personal_data
from .admin_content import (
    ContentAdmin,
    ContentStackedInline,
    ContentTabularInline,
    in_both_languages,
    one_row,
)
from .admin_scope import RegionScoped, RegionScopedAdmin
from .clock import overdue_q
from .masking import mask_email, mask_name, mask_personal_data, mask_phone
from .models import (
    Activity,
    AuditEntry,
    Campaign,
    OfficerApplication,
    OfficerQuota,
    ReceptionCase,
    Region,
    Session,
    Signup,
    StaffScope,
    Theme,
    ThemeItem,
)
from .phone import MobileNumberField, is_mobile, normalize_mobile
from .refcodes import normalize_code
from .regions import scope_for
from .services.audit import audit_personal_data_search, audit_personal_data_view

admin.site.site_header = _("优质服务体验季 · 管理后台")
admin.site.site_title = _("优质服务体验季")
admin.site.index_title = _("心级服务，优+体验")


# Texts the public reads have a Chinese and an English field (campaigns/admin_content.py),
# the two in one form row.


class ThemeInline(ContentTabularInline):
    model = Theme
    extra = 0
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "tagline", "order"]
    show_change_link = True


@admin.register(Campaign)
class CampaignAdmin(ContentAdmin):
    list_display = ["title", "slogan", "starts_on", "ends_on"]
    search_fields = in_both_languages("title", "slogan")
    date_hierarchy = "starts_on"
    fields = [one_row("title"), one_row("slogan"), one_row("intro"),
              one_row("pledge"), ("starts_on", "ends_on")]
    inlines = [ThemeInline]


class ThemeItemInline(ContentTabularInline):
    model = ThemeItem
    extra = 1
    fields = ["name", "audience", "description", "order"]


@admin.register(Theme)
class ThemeAdmin(ContentAdmin):
    list_display = ["name", "campaign", "tagline", "order"]
    list_filter = ["campaign"]
    list_editable = ["order"]
    search_fields = [*in_both_languages("name", "tagline"), "items__name_zh_hans",
                     "items__name_en"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["campaign", one_row("name"), "slug", one_row("tagline"),
              one_row("description"), "order"]
    inlines = [ThemeItemInline]


# Links typed without a scheme are https (Django 6's default, chosen now).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Provinces and cities (GB/T 2260), loaded by a migration: looked up, never edited;
    staff find their own regions only (this list also answers the region pickers)."""

    list_display = ["code", "name", "level", "province"]
    list_filter = ["level"]
    list_select_related = ["province"]
    search_fields = ["code", "name", "name_en", "province__name"]

    def get_queryset(self, request):
        return scope_for(request.user).regions().select_related("province")

    def has_view_permission(self, request, obj=None):
        # Reference data every staff member picks from (activities, sessions, quotas).
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


SESSION_FIELDS = [
    one_row("title"),
    ("starts_at", "ends_at"),
    "is_online",
    "region",
    one_row("venue"),
    "online_url",
    ("capacity", "places_taken"),
    ("waitlist_enabled", "waitlist_limit"),
    "notes",
]


class SessionInline(RegionScoped, ContentStackedInline):
    formfield_overrides = HTTPS_URLS
    model = Session
    extra = 0
    fields = SESSION_FIELDS
    readonly_fields = ["places_taken"]
    autocomplete_fields = ["region"]
    show_change_link = True


class OfficerQuotaInline(RegionScoped, admin.TabularInline):
    model = OfficerQuota
    extra = 0
    fields = ["region", "places", "order"]
    autocomplete_fields = ["region"]


@admin.register(Activity)
class ActivityAdmin(RegionScopedAdmin, ContentAdmin):
    list_display = [
        "title", "kind", "is_published", "signup_opens_at", "signup_closes_at", "session_count"
    ]
    list_filter = ["kind", "is_published", "campaign", "themes",
                   ("region", admin.RelatedOnlyFieldListFilter)]
    list_editable = ["is_published"]
    search_fields = [*in_both_languages("title", "summary"), "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes"]
    autocomplete_fields = ["region"]
    inlines = [SessionInline, OfficerQuotaInline]
    fieldsets = [
        (None, {"fields": ["campaign", "kind", one_row("title"), "slug", "region",
                           one_row("summary"), "themes"]}),
        (_("内容"), {"fields": [one_row("description"), one_row("eligibility"),
                              one_row("rules")]}),
        (
            _("发布与报名"),
            {"fields": ["is_published", "signup_opens_at", "signup_closes_at", "order"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_sessions=Count("sessions"))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Session:
            for session_form in formset.forms:
                session = session_form.instance
                if session.pk and "capacity" in session_form.changed_data:
                    services.waitlist_promote(session=session, actor=request.user)

    @admin.display(description=_("场次数"), ordering="num_sessions")
    def session_count(self, obj):
        return obj.num_sessions


@admin.register(Session)
class SessionAdmin(RegionScopedAdmin, ContentAdmin):
    formfield_overrides = HTTPS_URLS
    fields = ["activity", *SESSION_FIELDS]
    list_display = [
        "__str__", "starts_at", "city", "is_online", "capacity", "places_taken", "waitlist_enabled"
    ]
    list_filter = ["activity__kind", ("region", admin.RelatedOnlyFieldListFilter), "is_online",
                   "starts_at", ("activity", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["activity", "region"]
    search_fields = [*in_both_languages("title", "venue"), "region__name",
                     "activity__title_zh_hans", "activity__title_en"]
    date_hierarchy = "starts_at"
    readonly_fields = ["places_taken"]
    autocomplete_fields = ["activity", "region"]
    actions = ["promote_waitlist"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            # More places: the waiting list gets them first, in order.
            services.waitlist_promote(session=obj, actor=request.user)

    @admin.action(description=_("从候补名单递补空出的名额"), permissions=["change"])
    def promote_waitlist(self, request, queryset):
        promoted = 0
        for session in queryset:
            promoted += len(services.waitlist_promote(session=session, actor=request.user))
        self.message_user(request, _("已递补 %(count)d 条候补。") % {"count": promoted})


# --- Signups, GM-reception cases, officer applications, audit -----------------------------
# Staff never edit these rows directly: every change goes through a service (which records
# it in the audit log). Personal data is masked unless the user may see it.


class ReasonActionForm(helpers.ActionForm):
    reason = forms.CharField(label=_("原因/备注"), required=False, max_length=500)


# Per-request state for display columns (ModelAdmin instances are shared between threads).
_current = threading.local()


def _shows_personal_data() -> bool:
    return getattr(_current, "personal", False)


class AuditEntryInline(GenericTabularInline):
    model = AuditEntry
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "action", "from_state", "to_state", "reason"]
    readonly_fields = fields
    ordering = ["created_at", "id"]
    verbose_name_plural = _("操作记录")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def shown_text(value: str, *names: str) -> str:
    """Free text typed by the public: as typed for staff who may view personal data, else
    its public (masked) version."""
    if _shows_personal_data():
        return value or "-"
    return mask_personal_data(value, names=names) or "-"


class PersonalDataAuditMixin:
    """Every admin page that shows personal data unmasked is recorded in the audit log (PIPL):
    a list as one entry on the staff user (which list), a record as one entry on the record.

    Search finds records by reference code (typed in any format); by mobile number only for
    staff who may view personal data, exact, and audited. No personal field is ever searched
    by substring (a masked number could be completed digit by digit)."""

    audit_list_views = True  # False when the list itself shows no personal data
    phone_field = "phone"  # the record's mobile number, for the exact search

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if is_mobile(term):
            if not can_view_personal_data(request.user):
                return queryset.none(), False
            phone = normalize_mobile(term)
            audit_personal_data_search(actor=request.user, listing=self.model._meta.label,
                                       masked=mask_phone(phone))
            return queryset.filter(**{self.phone_field: phone}), False
        if len(normalize_code(term)) == 8:
            term = normalize_code(term)
        return super().get_search_results(request, queryset, term)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        ok = request.method == "GET" and response.status_code == 200 and self.audit_list_views
        if ok and can_view_personal_data(request.user):
            audit_personal_data_view(actor=request.user, listing=self.model._meta.label)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(response, "context_data", {}).get("original")
        ok = request.method == "GET" and response.status_code == 200 and obj is not None
        if ok and can_view_personal_data(request.user):
            audit_personal_data_view(actor=request.user, target=obj)
        return response


class ServiceActionsMixin:
    """Admin actions that call a service for each selected row (with the reason typed above
    the list) and report each row's refusal by its reference."""

    action_form = ReasonActionForm

    def action_label(self, obj) -> str:
        return obj.reference_display

    def _run(self, request, queryset, func, done):
        reason = request.POST.get("reason", "").strip()
        succeeded = 0
        for obj in queryset:
            try:
                func(obj, reason)
            except ValidationError as error:
                self.message_user(
                    request, f"{self.action_label(obj)}: {' '.join(error.messages)}",
                    messages.ERROR,
                )
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done % {"count": succeeded}, messages.SUCCESS)


class PersonalDataAdminMixin(ServiceActionsMixin, PersonalDataAuditMixin):
    """Masked name/phone/email columns, search that understands typed numbers and codes,
    and service-backed actions that report each record's outcome."""

    @admin.display(description=_("姓名"), ordering="name")
    def name_display(self, obj):
        return obj.name if _shows_personal_data() else mask_name(obj.name)

    @admin.display(description=_("手机号码"), ordering="phone")
    def phone_display(self, obj):
        return obj.phone if _shows_personal_data() else mask_phone(obj.phone)

    @admin.display(description=_("电子邮箱"))
    def email_display(self, obj):
        if not obj.email:
            return "-"
        return obj.email if _shows_personal_data() else mask_email(obj.email)

    @admin.display(description=_("报名编号"), ordering="reference")
    def reference_display(self, obj):
        return obj.reference_display

    def get_queryset(self, request):
        _current.personal = can_view_personal_data(request.user)
        return super().get_queryset(request)

    def has_add_permission(self, request):
        return False  # the public signs up on the site

    def has_delete_permission(self, request, obj=None):
        return False  # cancel or withdraw instead: places and the audit trail stay right


class SessionListFilter(admin.RelatedFieldListFilter):
    """The scope's sessions with their activity in one query (Session.__str__ names the
    activity)."""

    def field_choices(self, field, request, model_admin):
        sessions = (Session.objects.filter(scope_for(request.user).q("region"))
                    .select_related("activity").order_by("-starts_at"))
        return [(session.pk, str(session)) for session in sessions]


@admin.register(Signup)
class SignupAdmin(RegionScopedAdmin, PersonalDataAdminMixin, admin.ModelAdmin):
    region_path = "session__region"
    list_display = [
        "reference_display", "name_display", "phone_display", "session", "status",
        "companions", "created_at",
    ]
    list_filter = ["status", "session__activity__kind",
                   ("session__activity", admin.RelatedOnlyFieldListFilter),
                   ("session__region", admin.RelatedOnlyFieldListFilter),
                   ("session", SessionListFilter)]
    list_select_related = ["session__activity"]
    search_fields = ["reference"]
    date_hierarchy = "created_at"
    inlines = [AuditEntryInline]
    actions = ["confirm", "cancel", "mark_attended", "mark_no_show"]
    fields = [
        "reference_display", "session", "status", "name_display", "phone_display",
        "email_display", "companions", "with_minors", "interests_display",
        "accessibility_needs_display",
        "rules_accepted_at", "consent_at", "privacy_version", "created_at", "confirmed_at",
        "promoted_at", "cancelled_at", "erased_at", "waitlist_position", "reception_link",
    ]
    readonly_fields = fields

    @admin.display(description=_("接待日诉求"))
    def reception_link(self, obj):
        case = ReceptionCase.objects.filter(signup=obj).only("pk", "status").first()
        if case is None:
            return "-"
        url = reverse("admin:campaigns_receptioncase_change", args=[case.pk])
        return format_html('<a href="{}">{}</a>', url, case.get_status_display())

    @admin.display(description=_("候补位置"))
    def waitlist_position(self, obj):
        return obj.waitlist_position or "-"

    @admin.display(description=_("关注内容"))
    def interests_display(self, obj):
        return shown_text(obj.interests, obj.name)

    @admin.display(description=_("无障碍需求"))
    def accessibility_needs_display(self, obj):
        return shown_text(obj.accessibility_needs, obj.name)

    @admin.action(description=_("确认所选候补（按顺序）"), permissions=["change"])
    def confirm(self, request, queryset):
        self._run(request, queryset.order_by("id"),
                  lambda s, reason: services.signup_confirm(signup=s, actor=request.user,
                                                            reason=reason),
                  _("已确认 %(count)d 条报名。"))

    @admin.action(description=_("取消所选报名（请填写原因）"), permissions=["change"])
    def cancel(self, request, queryset):
        if not request.POST.get("reason", "").strip():
            self.message_user(request, _("取消报名请填写原因。"), messages.ERROR)
            return
        self._run(request, queryset,
                  lambda s, reason: services.signup_cancel(signup=s, actor=request.user,
                                                           reason=reason),
                  _("已取消 %(count)d 条报名。"))

    @admin.action(description=_("登记为已到场"), permissions=["change"])
    def mark_attended(self, request, queryset):
        self._run(request, queryset,
                  lambda s, reason: services.signup_mark_attendance(
                      signup=s, actor=request.user, attended=True, reason=reason),
                  _("已登记 %(count)d 人到场。"))

    @admin.action(description=_("登记为未到场"), permissions=["change"])
    def mark_no_show(self, request, queryset):
        self._run(request, queryset,
                  lambda s, reason: services.signup_mark_attendance(
                      signup=s, actor=request.user, attended=False, reason=reason),
                  _("已登记 %(count)d 人未到场。"))


class OverdueFilter(admin.SimpleListFilter):
    title = _("首次回复")
    parameter_name = "reply"

    def lookups(self, request, model_admin):
        return [("overdue", _("已超时未回复")), ("waiting", _("待回复")), ("done", _("已回复"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(overdue_q(ReceptionCase, timezone.now()))
        if self.value() == "waiting":
            return queryset.filter(first_replied_at__isnull=True)
        if self.value() == "done":
            return queryset.filter(first_replied_at__isnull=False)
        return queryset


class ReceptionCaseForm(forms.ModelForm):
    reason = forms.CharField(label=_("本次处理说明（记入操作记录）"), required=False,
                             max_length=500)

    class Meta:
        model = ReceptionCase
        fields = ["status", "owner", "internal_notes", "outcome"]

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get("status"):
            try:
                services.reception_check(
                    case=ReceptionCase.objects.get(pk=self.instance.pk),
                    status=data["status"],
                    outcome=(data.get("outcome") or "").strip(),
                )
            except ValidationError as error:
                field = "status" if error.code == "backwards" else "outcome"
                self.add_error(field, error.messages)
        return data


@admin.register(ReceptionCase)
class ReceptionCaseAdmin(RegionScopedAdmin, ServiceActionsMixin, PersonalDataAuditMixin,
                         admin.ModelAdmin):
    region_path = "signup__session__region"
    form = ReceptionCaseForm
    list_display = ["reference", "slot", "category", "status", "owner", "first_reply_due_at",
                    "overdue", "escalation", "first_replied_at"]
    list_filter = ["status", OverdueFilter, "escalation", "category", "contact_mode",
                   ("owner", admin.RelatedOnlyFieldListFilter),
                   ("signup__session__activity", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["signup__session__activity", "owner"]
    search_fields = ["signup__reference", "ticket_number"]
    phone_field = "signup__phone"
    actions = ["mark_in_progress", "mark_closed"]
    readonly_fields = ["reference", "signup_link", "slot", "customer", "category",
                       "description_display", "account_display", "raised_with_10086",
                       "ticket_number", "contact_mode", "expected_outcome_display",
                       "first_reply_due_at", "first_replied_at", "escalation", "escalated_at"]
    fieldsets = [
        (_("客户的问题"), {"fields": ["reference", "signup_link", "slot", "customer", "category",
                                    "description_display", "account_display",
                                    "raised_with_10086", "ticket_number", "contact_mode",
                                    "expected_outcome_display"]}),
        (_("处理"), {"fields": ["status", "owner", "internal_notes", "outcome", "reason",
                               "first_reply_due_at", "first_replied_at", "escalation",
                               "escalated_at"]}),
    ]

    def get_queryset(self, request):
        _current.personal = can_view_personal_data(request.user)
        return super().get_queryset(request)

    @admin.display(description=_("报名编号"), ordering="signup__reference")
    def reference(self, obj):
        return obj.signup.reference_display

    @admin.display(description=_("预约"))
    def signup_link(self, obj):
        url = reverse("admin:campaigns_signup_change", args=[obj.signup_id])
        return format_html('<a href="{}">{}</a>', url, obj.signup.get_status_display())

    @admin.display(description=_("时段"), ordering="signup__session__starts_at")
    def slot(self, obj):
        return obj.signup.session

    @admin.display(description=_("客户"))
    def customer(self, obj):
        if _shows_personal_data():
            return f"{obj.signup.name} {obj.signup.phone}"
        return f"{mask_name(obj.signup.name)} {mask_phone(obj.signup.phone)}"

    @admin.display(description=_("涉及号码或宽带账号"))
    def account_display(self, obj):
        if _shows_personal_data():
            return obj.account
        return mask_phone(obj.account)

    @admin.display(description=_("问题描述"))
    def description_display(self, obj):
        return shown_text(obj.description, obj.signup.name)

    @admin.display(description=_("期望结果"))
    def expected_outcome_display(self, obj):
        return shown_text(obj.expected_outcome, obj.signup.name)

    @admin.display(description=_("已超时"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.reception_update(
            case=obj, actor=request.user, status=data["status"], owner=data["owner"],
            internal_notes=data["internal_notes"], outcome=data["outcome"],
            reason=data.get("reason", ""),
        )

    def action_label(self, obj) -> str:
        return obj.signup.reference_display

    def _move(self, request, queryset, status, done):
        self._run(request, queryset,
                  lambda case, reason: services.reception_update(
                      case=case, actor=request.user, status=status, reason=reason),
                  done)

    @admin.action(description=_("标记为处理中"), permissions=["change"])
    def mark_in_progress(self, request, queryset):
        self._move(request, queryset, ReceptionCase.Status.IN_PROGRESS,
                   _("%(count)d 条诉求已标记为处理中。"))

    @admin.action(description=_("标记为已办结（需已有答复）"), permissions=["change"])
    def mark_closed(self, request, queryset):
        self._move(request, queryset, ReceptionCase.Status.CLOSED,
                   _("%(count)d 条诉求已办结。"))


@admin.register(OfficerApplication)
class OfficerApplicationAdmin(RegionScopedAdmin, PersonalDataAdminMixin, admin.ModelAdmin):
    list_display = ["reference_display", "name_display", "phone_display", "city", "quota",
                    "occupation", "birth_year", "participation", "status", "created_at"]
    list_filter = ["status", ("region", admin.RelatedOnlyFieldListFilter),
                   ("activity", admin.RelatedOnlyFieldListFilter),
                   "occupation", "participation", "is_customer"]
    list_select_related = ["activity", "region"]
    search_fields = ["reference"]
    date_hierarchy = "created_at"
    inlines = [AuditEntryInline]
    actions = ["accept", "reject", "reserve"]
    fields = [
        "reference_display", "activity", "status", "quota", "name_display", "phone_display",
        "email_display", "is_customer", "birth_year", "city", "occupation", "services_list",
        "tenure", "theme", "participation", "motivation_display", "code_accepted_at", "consent_at",
        "privacy_version", "created_at", "erased_at", "review_reason", "reviewed_by",
        "reviewed_at",
    ]
    readonly_fields = fields

    def changelist_view(self, request, extra_context=None):
        # Quotas per city for the reviewer: computed once per page, not per row.
        activity_ids = OfficerApplication.objects.values("activity_id").distinct()
        scope = scope_for(request.user)
        _current.quotas = quotas = {
            key: usage for key, usage in selectors.quota_usage(activity_ids).items()
            if scope.covers(key[1])
        }
        names = dict(Region.objects.filter(pk__in={code for _aid, code in quotas})
                     .values_list("code", "name"))
        summary = "; ".join(
            f"{names[code]} {used}/{places}" for (_aid, code), (used, places) in quotas.items()
        )
        if summary and request.method == "GET":
            self.message_user(request, _("各城市已录用/名额：%(summary)s") % {"summary": summary},
                              messages.INFO)
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, *args, **kwargs):
        _current.quotas = None
        return super().changeform_view(request, *args, **kwargs)

    @admin.display(description=_("城市名额（已录用/名额）"))
    def quota(self, obj):
        quotas = getattr(_current, "quotas", None)
        if quotas is None:
            quotas = selectors.quota_usage([obj.activity_id])
        used, places = quotas.get((obj.activity_id, obj.region_id), (0, 0))
        return f"{used}/{places}"

    @admin.display(description=_("报名理由"))
    def motivation_display(self, obj):
        return shown_text(obj.motivation, obj.name)

    @admin.display(description=_("使用的业务"))
    def services_list(self, obj):
        return "、".join(item.name for item in obj.services.all()) or "-"

    def _review(self, request, queryset, status, done):
        self._run(request, queryset.order_by("created_at", "id"),
                  lambda a, reason: services.application_review(
                      application=a, reviewer=request.user, status=status, reason=reason),
                  done)

    @admin.action(description=_("录用"), permissions=["change"])
    def accept(self, request, queryset):
        self._review(request, queryset, OfficerApplication.Status.ACCEPTED,
                     _("已录用 %(count)d 人。"))

    @admin.action(description=_("不录用（请填写原因）"), permissions=["change"])
    def reject(self, request, queryset):
        self._review(request, queryset, OfficerApplication.Status.REJECTED,
                     _("已将 %(count)d 人标记为未录用。"))

    @admin.action(description=_("列入候补（请填写原因）"), permissions=["change"])
    def reserve(self, request, queryset):
        self._review(request, queryset, OfficerApplication.Status.RESERVE,
                     _("已将 %(count)d 人列入候补。"))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "content_type", "object_repr",
                    "from_state", "to_state", "reason"]
    list_filter = ["action", "content_type", "actor"]
    list_select_related = ["actor", "content_type"]
    search_fields = ["object_repr", "reason", "=object_id"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        # Entries name records of every region: the national team's to read.
        queryset = super().get_queryset(request)
        return queryset if scope_for(request.user).national else queryset.none()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StaffScopeForm(forms.ModelForm):
    alert_phone = MobileNumberField(label=_("提醒短信号码"), required=False,
                                    help_text=_("选填；填写后超时升级提醒也发短信"))

    class Meta:
        model = StaffScope
        fields = ["level", "regions", "weekly_report", "escalation_alerts", "alert_phone"]

    def clean(self):
        data = super().clean()
        level, regions = data.get("level"), list(data.get("regions") or [])
        if level == StaffScope.Level.NATIONAL and regions:
            self.add_error("regions", _("全国范围不选省份或城市。"))
        elif level == StaffScope.Level.PROVINCE and (
            not regions or any(r.level != Region.Level.PROVINCE for r in regions)
        ):
            self.add_error("regions", _("省公司请选择一个或多个省份。"))
        elif level == StaffScope.Level.CITY and (
            not regions or any(r.level != Region.Level.CITY for r in regions)
        ):
            self.add_error("regions", _("地市分公司请选择一个或多个城市。"))
        return data


class StaffScopeInline(admin.StackedInline):
    """Which regions a staff member works for, on their user page (superusers manage users)."""

    model = StaffScope
    form = StaffScopeForm
    can_delete = False
    autocomplete_fields = ["regions"]
    verbose_name_plural = _("负责区域")

    def _national(self, request) -> bool:
        # Only the national team hands out regions: no one widens their own scope.
        return scope_for(request.user).national

    def has_add_permission(self, request, obj=None):
        return self._national(request) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._national(request) and super().has_change_permission(request, obj)


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserWithScopeAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, StaffScopeInline]
    list_display = [*UserAdmin.list_display, "scope_display"]
    list_select_related = ["staff_scope"]

    @admin.display(description=_("负责区域"))
    def scope_display(self, obj):
        scope = getattr(obj, "staff_scope", None)
        return scope.get_level_display() if scope else "—"
