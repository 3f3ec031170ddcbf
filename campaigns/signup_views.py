"""Signing up, the confirmation page and a signup's own page (self-service): thin views.

A browser may open a signup's page when it proved that signup: a correct phone + reference
code, the secret link from the email, or having just signed up puts the reference into a
signed cookie; or when it is signed in to 我的 (feedback.mine_views) with the signup's
number.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import notifications, ratelimit, selectors, services
from .forms import LookupForm, OfficerApplicationForm, OpenDaySignupForm, ReceptionSignupForm
from .models import Activity, Signup
from .public_forms import submit_public_form
from .remember import REFS_COOKIE, forget, remember, remembered
from .verification import signed_in_number


def _remember_and_go(request, reference: str, to: str):
    """Redirect to `to` for this reference, remembering that this browser proved it."""
    return remember(redirect(to, reference=reference), request, REFS_COOKIE, reference)


def _remembered_record(request, reference: str):
    if reference in remembered(request, REFS_COOKIE):
        return selectors.record_by_reference(reference)
    if phone := signed_in_number(request):
        return selectors.record_by_phone_and_reference(phone=phone, reference=reference)
    return None


def _done(request, record):
    return _remember_and_go(request, record.reference, "campaigns:signup_done")


@never_cache
@require_http_methods(["GET", "POST"])
def signup_create(request, slug, pk):
    session = selectors.bookable_session(slug=slug, pk=pk)
    is_reception = session.activity.kind == Activity.Kind.GM_RECEPTION
    form_class = ReceptionSignupForm if is_reception else OpenDaySignupForm
    form = form_class(request.POST or None, session=session, request=request)
    alternatives = []
    if request.method == "POST":
        service = partial(services.signup_create, session=session, language=get_language())
        done = submit_public_form(request, form, scope="signup", service=service,
                                  on_success=partial(_done, request))
        if done:
            return done
        if form.has_error(NON_FIELD_ERRORS, "full"):  # not a dead end: where else to go
            alternatives = selectors.other_sessions_with_room(session)
    return render(
        request,
        "campaigns/signup_form.html",
        {"form": form, "session": session, "activity": session.activity,
         "is_reception": is_reception, "state": session.state(),
         "alternatives": alternatives,
         "would_wait": form.is_bound and form.has_error(NON_FIELD_ERRORS, "would_wait")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def application_create(request, slug):
    activity = selectors.officer_activity(slug)
    form = OfficerApplicationForm(request.POST or None, activity=activity, request=request)
    if request.method == "POST":
        service = partial(services.application_submit, activity=activity, language=get_language())
        done = submit_public_form(request, form, scope="signup", service=service,
                                  on_success=partial(_done, request))
        if done:
            return done
    return render(
        request,
        "campaigns/application_form.html",
        {"form": form, "activity": activity, "window": activity.signup_window_state()},
    )


@never_cache
def signup_done(request, reference):
    record = _remembered_record(request, reference)
    if record is None:
        return redirect("campaigns:my_lookup")
    return render(request, "campaigns/signup_done.html", _record_context(record))


def _record_context(record) -> dict:
    is_signup = isinstance(record, Signup)
    context = {"record": record, "is_signup": is_signup}
    if is_signup:
        context.update(
            session=record.session,
            activity=record.session.activity,
            reception=getattr(record, "reception", None),
            can_cancel=services.can_cancel(record),
            # The feedback itself reaches the page through feedback_tags (signup_feedback).
            # Only once the session has started: there is nothing to rate before.
            can_rate=(record.status in Signup.RATEABLE
                      and record.session.starts_at <= timezone.now()),
        )
    else:
        context.update(activity=record.activity, can_cancel=services.can_withdraw(record))
    context["can_erase"] = services.can_erase(record)
    return context


def _lookup(*, phone: str, reference: str):
    record = selectors.record_by_phone_and_reference(phone=phone, reference=reference)
    if record is None:
        # One answer whether the code is unknown or belongs to another number.
        raise services.DomainError(
            _("没有找到与这个手机号和报名编号对应的报名，请核对后再试。"), code="not_found",
            field="reference",
        )
    return record


@never_cache
@require_http_methods(["GET", "POST"])
def my_lookup(request):
    form = LookupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        done = submit_public_form(
            request, form, scope="lookup", service=_lookup,
            on_success=lambda record: _remember_and_go(
                request, record.reference, "campaigns:my_detail"
            ),
        )
        if done:
            return done
        if form.has_error("reference", "not_found"):
            status = 404
    return render(
        request,
        "campaigns/my_lookup.html",
        {"form": form, "remembered": remembered(request, REFS_COOKIE)},
        status=status,
    )


@never_cache
def my_link(request, token):
    try:
        ratelimit.hit("lookup_ip", ratelimit.client_ip(request))
    except ratelimit.RateLimited as exc:
        return ratelimit.limited_response(request, exc)
    record = selectors.record_by_token(token)
    if record is None or timezone.now() > record.link_valid_until():
        messages.error(request, _("链接无效或已过期，请用手机号和报名编号查询。"))
        return redirect("campaigns:my_lookup")
    return _remember_and_go(request, record.reference, "campaigns:my_detail")


@never_cache
def my_detail(request, reference):
    record = _remembered_record(request, reference)
    if record is None:
        return redirect("campaigns:my_lookup")
    return render(request, "campaigns/my_detail.html", _record_context(record))


@require_POST
def my_cancel(request, reference):
    record = _remembered_record(request, reference)
    if record is None:
        return redirect("campaigns:my_lookup")
    try:
        if isinstance(record, Signup):
            was_waiting = record.status == Signup.Status.WAITLISTED
            services.signup_cancel(signup=record)
            messages.success(
                request, _("您已退出候补名单。") if was_waiting else _("报名已取消，名额已释放。")
            )
        else:
            services.application_withdraw(application=record)
            messages.success(request, _("报名已撤回。"))
    except services.SignupError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("campaigns:my_detail", reference=record.reference)


@require_POST
def my_resend(request, reference):
    """A new self-service link by email (the old one stops working); for a browser that
    proved phone + reference."""
    record = _remembered_record(request, reference)
    if record is None:
        return redirect("campaigns:my_lookup")
    try:
        ratelimit.hit("lookup_ip", ratelimit.client_ip(request))
    except ratelimit.RateLimited as exc:
        return ratelimit.limited_response(request, exc)
    if notifications.link_renewed(record):
        messages.success(request, _("新的查看链接已发送到您的邮箱，之前的链接已失效。"))
    else:
        messages.error(request, _("报名时没有留电子邮箱，请继续用手机号和报名编号查询。"))
    return redirect("campaigns:my_detail", reference=record.reference)


@require_POST
def my_erase(request, reference):
    record = _remembered_record(request, reference)
    if record is None:
        return redirect("campaigns:my_lookup")
    try:
        services.personal_data_erase(record=record)
    except services.SignupError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("campaigns:my_detail", reference=record.reference)
    messages.success(request, _("您的个人信息已删除。"))
    return forget(redirect("campaigns:my_lookup"), request, REFS_COOKIE, record.reference)


@never_cache
def my_calendar(request, reference):
    record = _remembered_record(request, reference)
    if not isinstance(record, Signup) or record.status not in Signup.HOLDS_PLACE:
        raise Http404
    response = HttpResponse(
        notifications.signup_ics(record), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{record.reference}.ics"'
    return response


@never_cache
def video_link(request, code):
    """The short link in the video-reception SMS: on to the meeting, while the slot lasts."""
    try:
        ratelimit.hit("lookup_ip", ratelimit.client_ip(request))
    except ratelimit.RateLimited as exc:
        return ratelimit.limited_response(request, exc)
    url = selectors.signup_video_link(code)
    if url is None:
        raise Http404
    return HttpResponseRedirect(url)
