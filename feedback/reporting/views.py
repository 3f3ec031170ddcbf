"""Staff dashboard, printable report and report downloads.

Access (see docs/dashboard.md): a logged-in staff user (else the login page) with the role's
permission (else 403), through `campaigns.access.staff_permission_required`. Roles are the
groups created by `feedback/migrations/0002`.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.access import can_view_personal_data, staff_permission_required
from campaigns.models import Activity, Session, Signup
from campaigns.regions import scope_for
from campaigns.selectors import current_campaign
from campaigns.services.audit import audit_export
from feedback.models import ExportJob
from feedback.selectors import commitment_scoreboard

from . import export_jobs, exporters, regional, rollups, selectors, weekly
from .charts import dashboard_charts
from .forms import DashboardFilterForm


def _filter_form(request) -> DashboardFilterForm:
    scope = scope_for(request.user)
    activities, themes, regions = selectors.filter_choices(scope)
    return DashboardFilterForm(
        request.GET or None, activities=activities, themes=themes, regions=regions, scope=scope
    )


def _context(request):
    now = timezone.now()
    form = _filter_form(request)
    filters = form.filters()
    data = selectors.dashboard(filters, now=now, sort=request.GET.get("sort", ""))
    if data.stale_days:
        # Past days read row by row: queue a rollup build (after commit, at most once a
        # minute), so the next views read them from the rollups again.
        rollups.schedule_build()
    user = request.user
    params = filters.as_params()
    for row in data.regions.rows:
        row.drill = urlencode({**params, "region": row.code})
    signup_query = {
        "activity": "session__activity__id__exact",
        "kind": "session__activity__kind__exact",
        "region": "session__region",
    }
    status = Signup.Status
    signups = data.signups
    return {
        "form": form,
        "filters": filters,
        "data": data,
        "charts": dashboard_charts(data),
        "now": now,
        "session_limit": selectors.SESSION_LIST_LIMIT,
        "unmasked": can_view_personal_data(user),
        # What the user may open: figures link to the list behind them only then.
        "can": {
            "queue": user.has_perm("feedback.moderate_feedback"),
            "signups": user.has_perm("campaigns.view_signup"),
            "sessions": user.has_perm("campaigns.view_session"),
            "applications": user.has_perm("campaigns.view_officerapplication"),
            "reception": user.has_perm("campaigns.view_receptioncase"),
            "officer_reports": user.has_perm("officers.review_report"),
            "export_feedback": exporters.FeedbackExporter.allowed(user),
            "attendees": exporters.AttendeeExporter.allowed(user),
            "export_applications": exporters.ApplicationExporter.allowed(user),
            "export_officers": exporters.OfficerRosterExporter.allowed(user),
        },
        "signup_cards": [
            (filters.admin_query(**signup_query, **extra), label, value)
            for extra, label, value in (
                ({}, _("报名总数"), signups.total),
                ({"status__exact": status.CONFIRMED}, _("报名成功"), signups.confirmed),
                ({"status__exact": status.WAITLISTED}, _("候补中"), signups.waitlisted),
                ({"status__exact": status.CANCELLED}, _("已取消"), signups.cancelled),
                ({"status__exact": status.ATTENDED}, _("已到场"), signups.attended),
                ({"status__exact": status.NO_SHOW}, _("未到场"), signups.no_show),
            )
        ],
        "region_columns": [
            (key, label, urlencode({**params, "sort": key}))
            for key, label in zip(regional.SORTS, REGION_COLUMNS, strict=True)
        ],
        "regions_up": urlencode({k: v for k, v in params.items() if k != "region"}),
        "session_query": filters.admin_query(
            activity="activity__id__exact", kind="activity__kind__exact", region="region"
        ),
        "application_query": filters.admin_query(
            activity="activity__id__exact", kind="-", region="region"
        ),
    }


# The regions' table columns, in regional.SORTS order.
REGION_COLUMNS = (gettext_lazy("报名数"), gettext_lazy("名额使用率"), gettext_lazy("满意度"),
                  gettext_lazy("NPS"), gettext_lazy("48小时内首次回复"), gettext_lazy("当前超时"))


# Where a staff member lands after logging in: the first of these they may open.
STAFF_HOMES = (
    ("feedback.view_dashboard", "feedback:dashboard"),
    ("feedback.moderate_feedback", "feedback:queue"),
    ("officers.review_report", "officers:review_queue"),
    ("feedback.export_reports", "feedback:export_jobs"),
)


@require_GET
@staff_member_required
def staff_home(request):
    """工作台 for everyone on the staff: the page their role works in, never a dead end."""
    for permission, url_name in STAFF_HOMES:
        if request.user.has_perm(permission):
            return redirect(url_name)
    return redirect("admin:index")


@require_GET
@staff_permission_required("feedback.view_dashboard")
def dashboard(request):
    return render(request, "feedback/dashboard/dashboard.html", _context(request))


@require_GET
@staff_permission_required("feedback.view_dashboard")
def report(request):
    _filters(request)  # a report must say what it covers: invalid filters are refused
    context = _context(request)
    context["commitment"] = commitment_scoreboard(now=context["now"], campaign=current_campaign())
    return render(request, "feedback/dashboard/report.html", context)


# --- Downloads --------------------------------------------------------------------------


def _filters(request):
    """The dashboard's filters; invalid ones are refused rather than silently dropped."""
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        raise BadRequest(" ".join(str(e) for errors in form.errors.values() for e in errors))
    return form.filters()


def _download(request, exporter_class, fmt, **kwargs):
    if fmt not in exporters.FORMATS:
        raise Http404
    user = request.user
    if not exporter_class.allowed(user):
        raise PermissionDenied
    exporter = exporter_class(user=user, **kwargs)
    exporter.record(fmt=fmt)
    return exporters.http_response(exporter, fmt)


@require_GET
@staff_permission_required(*exporters.FeedbackExporter.permissions)
def export_feedback(request, fmt):
    return _download(request, exporters.FeedbackExporter, fmt, filters=_filters(request))


@require_GET
@staff_permission_required(*exporters.AttendeeExporter.permissions)
def export_attendees(request, session_pk, fmt):
    session = get_object_or_404(
        Session.objects.filter(scope_for(request.user).q("region"))
        .select_related("activity", "region"),
        pk=session_pk,
    )
    return _download(request, exporters.AttendeeExporter, fmt, session=session)


@require_GET
@staff_permission_required(*exporters.ApplicationExporter.permissions)
def export_applications(request, fmt):
    return _download(request, exporters.ApplicationExporter, fmt, filters=_filters(request))


@require_GET
@staff_permission_required(*exporters.OfficerRosterExporter.permissions)
def export_officers(request, fmt):
    return _download(request, exporters.OfficerRosterExporter, fmt, filters=_filters(request))


@require_GET
@staff_permission_required(*exporters.OfficerReportExporter.permissions)
def export_officer_reports(request, fmt):
    return _download(request, exporters.OfficerReportExporter, fmt, filters=_filters(request))


# --- Background exports -----------------------------------------------------------------


@require_POST
@staff_permission_required(*exporters.FeedbackExporter.permissions)
def export_job_start(request, fmt):
    """Queue the feedback report with the dashboard's filters (from the query string)."""
    if fmt not in exporters.FORMATS:
        raise Http404
    if not exporters.FeedbackExporter.allowed(request.user):
        raise PermissionDenied
    export_jobs.export_job_create(
        user=request.user, export=exporters.FeedbackExporter.name, fmt=fmt,
        filters=_filters(request), language=get_language(),
    )
    messages.success(request, _("已开始后台生成，完成后可在本页下载。"))
    return redirect("feedback:export_jobs")


@require_GET
@staff_permission_required(*exporters.FeedbackExporter.permissions)
def export_job_list(request):
    jobs = list(ExportJob.objects.filter(user=request.user)[:50])
    active = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)
    return render(request, "feedback/dashboard/exportjob_list.html", {
        "jobs": jobs, "refresh": any(job.status in active for job in jobs),
        "retention_hours": settings.EXPORT_JOB_RETENTION_HOURS,
    })


@require_GET
@staff_permission_required(*exporters.FeedbackExporter.permissions)
def export_job_download(request, pk):
    """The finished file, for its owner only (anyone else: 404); audited like a download.
    A file deleted after the retention period sends the owner back to the list, saying so;
    an unmasked file needs "view personal data" now, not only when it was made (403)."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    if job.expired or (job.status == ExportJob.Status.DONE and not job.file.storage.exists(
        job.file.name
    )):
        messages.warning(request, _(
            "该导出文件已删除：为保护个人信息，后台导出文件在生成完成 %(hours)d 小时后自动删除。"
            "如仍需要，请重新生成。"
        ) % {"hours": settings.EXPORT_JOB_RETENTION_HOURS})
        return redirect("feedback:export_jobs")
    if job.status != ExportJob.Status.DONE:
        raise Http404
    if not export_jobs.export_job_download_allowed(job=job, user=request.user):
        raise PermissionDenied
    activity = Activity.objects.filter(pk=job.filters.get("activity") or None).first()
    audit_export(
        actor=request.user, target=activity or current_campaign() or request.user,
        export=job.export, fmt=job.format, filters=job.filters, unmasked=job.unmasked,
        job=job.pk,
    )
    stamp = exporters.local(job.created_at).strftime("%Y%m%d-%H%M")
    response = FileResponse(
        job.file.open("rb"), as_attachment=True,
        filename=f"{job.export}-{stamp}{exporters.language_suffix(job.language)}.{job.format}",
        content_type=exporters.CONTENT_TYPES[job.format],
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def weekly_unsubscribe(request, token):
    """One click from the weekly report's email (a confirming POST, so that a mail scanner
    following links does not unsubscribe anyone)."""
    done = request.method == "POST" and weekly.unsubscribe(token) is not None
    if request.method == "POST" and not done:
        raise Http404
    return render(request, "feedback/weekly_unsubscribe.html", {"done": done})
