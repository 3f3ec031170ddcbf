from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Activity, Campaign, OfficerQuota, Session, Theme, ThemeItem

admin.site.site_header = _("优质服务体验季 · 管理后台")
admin.site.site_title = _("优质服务体验季")
admin.site.index_title = _("心级服务,优+体验")


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "tagline", "order"]
    show_change_link = True


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "slogan", "starts_on", "ends_on"]
    search_fields = ["title", "slogan"]
    date_hierarchy = "starts_on"
    inlines = [ThemeInline]


class ThemeItemInline(admin.TabularInline):
    model = ThemeItem
    extra = 1
    fields = ["name", "audience", "description", "order"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "tagline", "order"]
    list_filter = ["campaign"]
    list_editable = ["order"]
    search_fields = ["name", "tagline", "items__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ThemeItemInline]


class SessionInline(admin.StackedInline):
    model = Session
    extra = 0
    fields = [
        ("title", "is_online"),
        ("starts_at", "ends_at"),
        ("city", "venue"),
        "online_url",
        ("capacity", "places_taken"),
        ("waitlist_enabled", "waitlist_limit"),
        "notes",
    ]
    readonly_fields = ["places_taken"]
    show_change_link = True


class OfficerQuotaInline(admin.TabularInline):
    model = OfficerQuota
    extra = 0
    fields = ["city", "places", "order"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = [
        "title", "kind", "is_published", "signup_opens_at", "signup_closes_at", "session_count"
    ]
    list_filter = ["kind", "is_published", "campaign", "themes", "sessions__city"]
    list_editable = ["is_published"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes"]
    inlines = [SessionInline, OfficerQuotaInline]
    fieldsets = [
        (None, {"fields": ["campaign", "kind", "title", "slug", "summary", "themes"]}),
        (_("内容"), {"fields": ["description", "eligibility", "rules"]}),
        (
            _("发布与报名"),
            {"fields": ["is_published", "signup_opens_at", "signup_closes_at", "order"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_sessions=Count("sessions"))

    @admin.display(description=_("场次数"), ordering="num_sessions")
    def session_count(self, obj):
        return obj.num_sessions


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = [
        "__str__", "starts_at", "city", "is_online", "capacity", "places_taken", "waitlist_enabled"
    ]
    list_filter = ["activity__kind", "city", "is_online", "starts_at", "activity"]
    list_select_related = ["activity"]
    search_fields = ["title", "city", "venue", "activity__title"]
    date_hierarchy = "starts_at"
    readonly_fields = ["places_taken"]
    autocomplete_fields = ["activity"]
