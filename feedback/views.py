from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import ratelimit
from campaigns.public_cache import cached_public_page
from campaigns.remember import remember, remembered
from campaigns.selectors import current_campaign
from campaigns.services.audit import audit_record

from . import selectors, services
from .forms import (
    BulkForm,
    CloseForm,
    FeedbackForm,
    ModerationForm,
    QueueFilterForm,
    ReplyForm,
    StatusForm,
)
from .models import Feedback

WALL_PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 50
THANKS_COOKIE = "yzfw_feedback"


def _attach(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (field errors where the field exists)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Public -----------------------------------------------------------------------------


def feedback_create(request):
    campaign = current_campaign()
    initial = {}
    if reference := request.GET.get("ref", "")[:20]:
        initial["signup_reference"] = reference
    if slug := request.GET.get("activity"):
        activity = selectors.wall_activities().filter(slug=slug).first()
        if activity is not None:
            initial["activity"] = activity
            initial["theme"] = activity.themes.order_by("order", "id").first()
    form = FeedbackForm(request.POST or None, campaign=campaign, initial=initial)
    if request.method == "POST":
        valid = form.is_valid()
        if limited := ratelimit.limit_form_post(request, "feedback", form):
            return limited
        if valid:
            data = form.cleaned_data
            try:
                feedback = services.feedback_submit(
                    activity=data["activity"],
                    theme=data["theme"],
                    theme_item=data["theme_item"],
                    kind=data["kind"],
                    overall_score=data["overall_score"],
                    recommend_score=data["recommend_score"],
                    dimensions=form.dimension_scores(),
                    comment=data["comment"],
                    wants_reply=data["wants_reply"],
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    consent=data["consent"],
                    signup_reference=data["signup_reference"],
                    language=get_language() or "",
                )
            except ValidationError as error:
                _attach(form, error)
            else:
                return remember(
                    redirect("feedback:thanks"), request, THANKS_COOKIE, feedback.reference
                )
    return render(request, "feedback/feedback_form.html", {"form": form, "campaign": campaign})


def feedback_thanks(request):
    references = remembered(request, THANKS_COOKIE)
    reference = references[0] if references else None
    if not reference:
        return redirect("feedback:create")
    feedback = get_object_or_404(Feedback, reference=reference)
    return render(request, "feedback/feedback_thanks.html", {"feedback": feedback})


@cached_public_page
def wall(request):
    campaign = current_campaign()
    activities = list(selectors.wall_activities())
    themes = list(selectors.wall_themes(campaign))
    activity = next((a for a in activities if a.slug == request.GET.get("activity")), None)
    theme = next((t for t in themes if t.slug == request.GET.get("theme")), None)
    page = Paginator(
        selectors.published_feedback(activity=activity, theme=theme), WALL_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/feedback_wall.html",
        {
            "page": page,
            "filter_query": query.urlencode(),
            "activities": activities,
            "themes": themes,
            "activity": activity,
            "theme": theme,
        },
    )


@cached_public_page
def commitment(request):
    now = timezone.now()
    campaign = current_campaign()
    return render(
        request,
        "feedback/commitment.html",
        {
            "rows": selectors.commitment_scoreboard(now=now, campaign=campaign),
            "satisfaction": selectors.satisfaction_by_theme(campaign=campaign),
            "now": now,
        },
    )


def status(request):
    form = StatusForm(request.POST or None)
    feedback = None
    if request.method == "POST":
        valid = form.is_valid()
        if limited := ratelimit.limit_form_post(request, "lookup", form):
            return limited
        if valid:
            feedback = selectors.status_lookup(
                reference=form.cleaned_data["reference"], phone=form.cleaned_data["phone"]
            )
            if feedback is None:
                form.add_error(None, _("没有找到这条反馈,请核对反馈编号和手机号。"))
    return render(
        request,
        "feedback/feedback_status.html",
        {"form": form, "feedback": feedback, "now": timezone.now()},
    )


# --- Staff ------------------------------------------------------------------------------


def moderator_required(view):
    """Logged in (else the login page), staff with feedback.moderate_feedback (else 403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_staff and user.has_perm("feedback.moderate_feedback")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@moderator_required
def queue(request):
    now = timezone.now()
    form = QueueFilterForm(request.GET or None, cities=selectors.queue_cities())
    page = Paginator(
        selectors.moderation_queue(now=now, **form.filters()), QUEUE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/staff/queue.html",
        {
            "form": form,
            "page": page,
            "now": now,
            "counts": selectors.queue_counts(now=now),
            "query": query.urlencode(),
        },
    )


@moderator_required
def staff_detail(request, pk):
    feedback = selectors.feedback_for_staff(pk)
    if feedback.wants_reply and request.user.has_perm("campaigns.view_personal_data"):
        # The page shows the contact unmasked: recorded (PIPL, see docs/dashboard.md).
        audit_record(target=feedback, action="view_personal_data", actor=request.user)
    return _render_detail(request, feedback)


def _render_detail(
    request, feedback, *, moderation_form=None, reply_form=None, close_form=None, status=200
):
    templates = selectors.reply_templates_for(feedback.theme)
    return render(
        request,
        "feedback/staff/detail.html",
        {
            "feedback": feedback,
            "now": timezone.now(),
            "moderation_form": moderation_form
            or ModerationForm(initial={"public_comment": feedback.public_comment}),
            "reply_form": reply_form or ReplyForm(templates=templates),
            "close_form": close_form or CloseForm(),
        },
        status=status,
    )


@require_POST
@moderator_required
def staff_moderate(request, pk):
    feedback = selectors.feedback_for_staff(pk)
    form = ModerationForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action == "publish":
                edited = form.cleaned_data["public_comment"].replace("\r\n", "\n").strip()
                services.feedback_publish(
                    feedback=feedback,
                    moderator=request.user,
                    public_comment=edited if edited != feedback.public_comment else None,
                )
            elif action == "reject":
                services.feedback_reject(
                    feedback=feedback, moderator=request.user, reason=form.cleaned_data["reason"]
                )
            else:
                services.feedback_hide(
                    feedback=feedback, moderator=request.user, reason=form.cleaned_data["reason"]
                )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(
                request,
                _("反馈 %(ref)s 已更新为“%(state)s”。")
                % {"ref": feedback.reference, "state": feedback.get_state_display()},
            )
            return redirect("feedback:staff_detail", pk=feedback.pk)
    return _render_detail(request, feedback, moderation_form=form, status=400)


@require_POST
@moderator_required
def staff_reply(request, pk):
    feedback = selectors.feedback_for_staff(pk)
    form = ReplyForm(request.POST, templates=selectors.reply_templates_for(feedback.theme))
    if form.is_valid():
        try:
            services.reply_create(
                feedback=feedback,
                author=request.user,
                body=form.cleaned_data["body"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("回复已保存。"))
            return redirect("feedback:staff_detail", pk=feedback.pk)
    return _render_detail(request, feedback, reply_form=form, status=400)


@require_POST
@moderator_required
def staff_close(request, pk):
    feedback = selectors.feedback_for_staff(pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.case_close(
                feedback=feedback, moderator=request.user, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("工单已办结。"))
            return redirect("feedback:staff_detail", pk=feedback.pk)
    return _render_detail(request, feedback, close_form=form, status=400)


@require_POST
@moderator_required
def staff_bulk(request):
    form = BulkForm(request.POST)
    back = reverse("feedback:queue")
    if query := request.POST.get("query"):
        back = f"{back}?{query}"
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    if action == "reject" and not reason.strip():
        messages.error(request, _("批量驳回时请填写原因。"))
        return redirect(back)
    done, failed = 0, []
    for feedback in Feedback.objects.filter(pk__in=form.cleaned_data["ids"]).order_by("pk"):
        try:
            with transaction.atomic():
                if action == "publish":
                    services.feedback_publish(feedback=feedback, moderator=request.user)
                else:
                    services.feedback_reject(
                        feedback=feedback, moderator=request.user, reason=reason
                    )
        except ValidationError:
            failed.append(feedback.reference)
        else:
            done += 1
    if done:
        messages.success(request, _("已处理 %(n)d 条反馈。") % {"n": done})
    if failed:
        messages.warning(
            request,
            _("以下反馈的状态不允许此操作:%(refs)s") % {"refs": "、".join(failed)},
        )
    return redirect(back)
