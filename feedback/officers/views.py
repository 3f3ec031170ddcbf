"""体验官专区 (signed in by number, as 我的) and the staff review of reports: thin views."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from campaigns import ratelimit
from campaigns.access import is_staff_with, staff_permission_required
from campaigns.models import Activity
from campaigns.regions import scope_for
from campaigns.remember import remembered
from campaigns.services.errors import DomainError, attach_error
from campaigns.signup_views import REFS_COOKIE
from campaigns.verification import signed_in_number

from . import selectors, services
from .forms import CaseReplyForm, CertificateLookupForm, ReportForm, ReviewForm, initial_for
from .models import ExperienceReport, ReportImage

REVIEW = "officers.review_report"
reviewer_required = staff_permission_required(REVIEW)


def _officer(request):
    """(number, officer) of this browser: signed in by number + SMS code, or holding the
    officer's application through the emailed secret link (or number + reference)."""
    phone = signed_in_number(request)
    if phone:
        return phone, selectors.officer_for_phone(phone)
    officer = selectors.officer_for_references(remembered(request, REFS_COOKIE))
    return (officer.phone, officer) if officer else (None, None)


def _sign_in_first(request):
    return redirect(reverse("feedback:mine") + "?" + urlencode({"next": request.path}))


@never_cache
def zone(request):
    phone, officer = _officer(request)
    if phone is None:
        return _sign_in_first(request)
    if officer is None:
        return render(request, "officers/not_an_officer.html", status=403)
    return render(request, "officers/zone.html", {
        "officer": officer,
        "tasks": selectors.open_tasks_for(officer),
        "reports": selectors.reports_of(officer),
        "points": selectors.officer_points(officer),
    })


def _render_form(request, *, task, form, report=None, status=200):
    return render(request, "officers/report_form.html",
                  {"task": task, "form": form, "report": report}, status=status)


def _save(request, *, task, officer, form, report=None):
    """Save what was sent (images included); submit it if asked. The form page again, with
    the reason, when something is refused: what was typed stays."""
    if not form.is_valid():
        return None
    try:
        report = services.report_save(task=task, officer=officer, data=form.service_data(),
                                      images=form.cleaned_data["images"], report=report)
    except DomainError as error:
        attach_error(form, error)
        return None
    if "submit" not in request.POST:
        messages.success(request, _("草稿已保存。"))
        return redirect("officers:report", pk=report.pk)
    try:
        services.report_submit(report=report, officer=officer)
    except DomainError as error:
        messages.warning(request, _("已保存为草稿，还不能提交："))
        attach_error(form, error)
        return None
    messages.success(request, _("报告已提交，审核结果会通过短信通知您。"))
    return redirect("officers:zone")


@never_cache
@require_http_methods(["GET", "POST"])
def report_new(request, task_pk):
    phone, officer = _officer(request)
    if phone is None:
        return _sign_in_first(request)
    task = next((t for t in selectors.open_tasks_for(officer) if t.pk == task_pk),
                None) if officer else None
    if task is None:
        raise Http404
    form = ReportForm(request.POST or None, request.FILES or None, task=task)
    if request.method == "POST" and (done := _save(request, task=task, officer=officer,
                                                   form=form)):
        return done
    return _render_form(request, task=task, form=form)


@never_cache
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    phone, officer = _officer(request)
    if phone is None:
        return _sign_in_first(request)
    report = get_object_or_404(
        ExperienceReport.objects.select_related("task").prefetch_related("images"),
        pk=pk, officer=officer,
    ) if officer else None
    if report is None:
        raise Http404
    form = ReportForm(request.POST or None, request.FILES or None, task=report.task,
                      initial=initial_for(report))
    if request.method == "POST" and (done := _save(request, task=report.task,
                                                   officer=officer, form=form,
                                                   report=report)):
        return done
    return _render_form(request, task=report.task, form=form, report=report)


@never_cache
def report_image(request, pk):
    """An image of a report, to its officer or to a reviewer; 404 to everyone else."""
    image = get_object_or_404(ReportImage.objects.select_related("report__officer"), pk=pk)
    allowed = (is_staff_with(request.user, REVIEW)
               and scope_for(request.user).covers(image.report.officer.region_id))
    if not allowed:
        _phone, officer = _officer(request)
        allowed = officer is not None and image.report.officer_id == officer.pk
    if not allowed:
        raise Http404
    response = FileResponse(image.file.open("rb"), content_type=image.content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


@never_cache
def certificate(request):
    phone, officer = _officer(request)
    if phone is None:
        return _sign_in_first(request)
    if officer is None:
        return render(request, "officers/not_an_officer.html", status=403)
    try:
        issued = services.certificate_issue(officer=officer)
    except DomainError as error:
        return render(request, "officers/certificate_pending.html",
                      {"reason": error.messages[0], "officer": officer})
    return render(request, "officers/certificate.html",
                  {"certificate": issued, "officer": officer,
                   "campaign": officer.activity.campaign})


@require_http_methods(["GET", "POST"])
def certificate_lookup(request):
    """Anyone checks a certificate by its code (the page a printed certificate names)."""
    form = CertificateLookupForm(request.POST or None)
    if request.method == "POST":
        try:
            ratelimit.hit("lookup_ip", ratelimit.client_ip(request))
        except ratelimit.RateLimited as exc:
            return ratelimit.limited_response(request, exc)
        if form.is_valid():
            found = selectors.certificate_by_code(form.cleaned_data["code"])
            if found is not None:
                return redirect("officers:certificate_verify", code=found.code)
            form.add_error("code", _("没有找到这个编号的证书，请核对后再试。"))
    return render(request, "officers/certificate_lookup.html", {"form": form},
                  status=404 if form.errors else 200)


def certificate_verify(request, code):
    found = selectors.certificate_by_code(code)
    if found is None:
        raise Http404
    return render(request, "officers/certificate_verify.html",
                  {"certificate": found, "campaign": found.officer.activity.campaign})


def programme_page(request, slug):
    activity = get_object_or_404(Activity, slug=slug, kind=Activity.Kind.OFFICER,
                                 is_published=True)
    if not selectors.programme_settings(activity).public_page:
        raise Http404
    return render(request, "officers/programme.html",
                  {"activity": activity, **selectors.public_programme(activity)})


# --- Staff ------------------------------------------------------------------------------


@reviewer_required
def review_queue(request):
    page = Paginator(selectors.review_queue(scope_for(request.user)), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "officers/staff/queue.html", {"page": page})


@reviewer_required
@require_http_methods(["GET", "POST"])
def review_detail(request, pk):
    report = _staff_report(request, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_review(report=report, reviewer=request.user,
                                   accept=form.cleaned_data["decision"] == "accept",
                                   comment=form.cleaned_data["comment"],
                                   featured=form.cleaned_data["featured"])
        except DomainError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("审核结果已保存。"))
            return redirect("officers:review_queue")
    return _review_page(request, report, form=form)


def _review_page(request, report, *, form=None, reply_form=None, status=200):
    return render(request, "officers/staff/review.html", {
        "report": report, "task": report.task, "now": timezone.now(),
        "form": form or ReviewForm(), "reply_form": reply_form or CaseReplyForm(),
        "scores": [(label, report.scores.get(key)) for key, label in
                   report.task.dimension_labels()],
    }, status=status)


def _staff_report(request, pk):
    try:
        return selectors.report_for_staff(pk, scope_for(request.user))
    except ExperienceReport.DoesNotExist:
        raise Http404 from None


@reviewer_required
@require_POST
def review_case_open(request, pk):
    report = _staff_report(request, pk)
    try:
        services.report_case_open(report=report, actor=request.user)
    except DomainError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("已转为工单，请在48小时内首次答复体验官。"))
    return redirect("officers:review", pk=pk)


@reviewer_required
@require_POST
def review_case_reply(request, pk):
    report = _staff_report(request, pk)
    form = CaseReplyForm(request.POST)
    if form.is_valid():
        try:
            services.report_case_reply(report=report, actor=request.user,
                                       body=form.cleaned_data["body"])
        except DomainError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("答复已发送，体验官会收到短信提醒。"))
            return redirect("officers:review", pk=pk)
    return _review_page(request, report, reply_form=form, status=400)


