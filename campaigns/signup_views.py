"""Signing up, the confirmation page and 我的报名 (self-service): thin views over services.

Self-service access is per browser session: a correct phone + reference code, the secret link
from the email, or having just signed up puts that reference into the session; the pages
then show only references held there.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from feedback.selectors import feedback_for_signup

from . import ratelimit, selectors, services
from .forms import LookupForm, OfficerApplicationForm, OpenDaySignupForm, ReceptionSignupForm
from .models import Activity, OfficerApplication, Signup
from .notifications import signup_ics
from .remember import forget, remember, remembered

REFS_COOKIE = "yzfw_refs"
CANCELLABLE = (Signup.Status.CONFIRMED, Signup.Status.WAITLISTED)
WITHDRAWABLE = (
    OfficerApplication.Status.PENDING,
    OfficerApplication.Status.RESERVE,
    OfficerApplication.Status.ACCEPTED,
)


def _remember_and_go(request, reference: str, to: str):
    """Redirect to `to` for this reference, remembering that this browser proved it."""
    return remember(redirect(to, reference=reference), request, REFS_COOKIE, reference)


def _remembered_record(request, reference: str):
    if reference not in remembered(request, REFS_COOKIE):
        return None
    return selectors.record_by_reference(reference)


def _attach_error(form, error: services.SignupError) -> None:
    field = "phone" if error.code == "duplicate" else None
    for message in error.messages:
        form.add_error(field, message)


@never_cache
@require_http_methods(["GET", "POST"])
def signup_create(request, slug, pk):
    session = selectors.bookable_session(slug=slug, pk=pk)
    is_reception = session.activity.kind == Activity.Kind.GM_RECEPTION
    form_class = ReceptionSignupForm if is_reception else OpenDaySignupForm
    form = form_class(request.POST or None, session=session)
    if request.method == "POST":
        valid = form.is_valid()
        if limited := ratelimit.limit_form_post(request, "signup", form):
            return limited
        if valid:
            data = form.cleaned_data
            try:
                signup = services.signup_create(
                    session=session,
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    companions=data.get("companions", 0),
                    with_minors=data.get("with_minors", False),
                    interests=data.get("interests", ""),
                    accessibility_needs=data.get("accessibility_needs", ""),
                    rules_accepted=data.get("rules_accepted", False),
                    reception=form.reception() if is_reception else None,
                    language=get_language(),
                )
            except services.SignupError as error:
                _attach_error(form, error)
            else:
                return _remember_and_go(request, signup.reference, "campaigns:signup_done")
    return render(
        request,
        "campaigns/signup_form.html",
        {"form": form, "session": session, "activity": session.activity,
         "is_reception": is_reception, "state": session.state()},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def application_create(request, slug):
    activity = selectors.officer_activity(slug)
    form = OfficerApplicationForm(request.POST or None, activity=activity)
    if request.method == "POST":
        valid = form.is_valid()
        if limited := ratelimit.limit_form_post(request, "signup", form):
            return limited
        if valid:
            data = form.cleaned_data
            try:
                application = services.application_submit(
                    activity=activity,
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    is_customer=data["is_customer"],
                    birth_year=data["birth_year"],
                    city=data["city"],
                    occupation=data["occupation"],
                    services=data["services"],
                    tenure=data["tenure"],
                    theme=data["theme"],
                    participation=data["participation"],
                    motivation=data["motivation"],
                    code_accepted=data["code_accepted"],
                    language=get_language(),
                )
            except services.SignupError as error:
                _attach_error(form, error)
            else:
                return _remember_and_go(request, application.reference, "campaigns:signup_done")
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
            can_cancel=record.status in CANCELLABLE and record.session.starts_at > timezone.now(),
        )
    else:
        context.update(activity=record.activity, can_cancel=record.status in WITHDRAWABLE)
    context["can_erase"] = services.can_erase(record)
    if is_signup:
        context["feedback_list"] = feedback_for_signup(record)
        context["now"] = timezone.now()
        context["can_rate"] = (
            record.status in (Signup.Status.CONFIRMED, Signup.Status.ATTENDED)
            and not context["feedback_list"]
        )
    return context


@never_cache
@require_http_methods(["GET", "POST"])
def my_lookup(request):
    form = LookupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        if limited := ratelimit.limit_form_post(request, "lookup", form):
            return limited
        if valid:
            record = selectors.record_by_phone_and_reference(
                phone=form.cleaned_data["phone"], reference=form.cleaned_data["reference"]
            )
            if record is not None:
                return _remember_and_go(request, record.reference, "campaigns:my_detail")
            # One answer whether the code is unknown or belongs to another number.
            form.add_error(None, _("没有找到与这个手机号和报名编号对应的报名,请核对后再试。"))
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
    if record is None:
        messages.error(request, _("链接无效或已过期,请用手机号和报名编号查询。"))
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
                request, _("您已退出候补名单。") if was_waiting else _("报名已取消,名额已释放。")
            )
        else:
            services.application_withdraw(application=record)
            messages.success(request, _("报名已撤回。"))
    except services.SignupError as error:
        for message in error.messages:
            messages.error(request, message)
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
    response = HttpResponse(signup_ics(record), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{record.reference}.ics"'
    return response
