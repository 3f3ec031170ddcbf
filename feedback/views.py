from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.access import can_view_personal_data, staff_permission_required
from campaigns.public_cache import cached_public_page
from campaigns.public_forms import submit_public_form
from campaigns.regions import scope_for
from campaigns.remember import remember, remembered
from campaigns.selectors import current_campaign
from campaigns.services.audit import audit_personal_data_view
from campaigns.services.errors import DomainError, attach_error

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
    form = FeedbackForm(request.POST or None, campaign=campaign, initial=initial, request=request)
    if request.method == "POST":
        done = submit_public_form(
            request, form, scope="feedback",
            service=partial(services.feedback_submit, language=get_language() or ""),
            on_success=lambda feedback: remember(
                redirect("feedback:thanks"), request, THANKS_COOKIE, feedback.reference
            ),
        )
        if done:
            return done
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
            "provinces": selectors.commitment_by_province(now=now),
            "satisfaction": selectors.satisfaction_by_theme(campaign=campaign),
            "now": now,
        },
    )


def _status_lookup(*, reference: str, phone: str) -> Feedback:
    feedback = selectors.status_lookup(reference=reference, phone=phone)
    if feedback is None:
        raise DomainError(_("没有找到这条反馈，请核对反馈编号和手机号。"), code="not_found")
    return feedback


def status(request):
    form = StatusForm(request.POST or None)

    def page(feedback=None):
        return render(
            request,
            "feedback/feedback_status.html",
            {"form": form, "feedback": feedback, "now": timezone.now()},
        )

    if request.method == "POST":
        done = submit_public_form(
            request, form, scope="lookup", service=_status_lookup, on_success=page
        )
        if done:
            return done
    return page()


@require_POST
def status_erase(request):
    """The person who left contact details erases them: reference + phone, as the lookup."""
    form = StatusForm(request.POST)
    done = submit_public_form(
        request, form, scope="lookup",
        service=lambda **found: services.feedback_contact_erase(feedback=_status_lookup(**found)),
        on_success=lambda feedback: render(
            request, "feedback/feedback_status.html",
            {"form": StatusForm(), "erased": True, "now": timezone.now()},
        ),
    )
    return done or render(request, "feedback/feedback_status.html",
                          {"form": form, "now": timezone.now()}, status=400)


# --- Staff ------------------------------------------------------------------------------


# Logged-in staff with feedback.moderate_feedback (campaigns.access).
moderator_required = staff_permission_required("feedback.moderate_feedback")


@moderator_required
def queue(request):
    now = timezone.now()
    scope = scope_for(request.user)
    form = QueueFilterForm(request.GET or None, scope=scope)
    page = Paginator(
        selectors.moderation_queue(now=now, scope=scope, **form.filters()), QUEUE_PAGE_SIZE
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
            "counts": selectors.queue_counts(now=now, scope=scope),
            "query": query.urlencode(),
        },
    )


@moderator_required
def staff_detail(request, pk):
    feedback = selectors.feedback_for_staff(pk, scope=scope_for(request.user))
    # The original text only on request ("显示原文"), and only with the permission.
    original = request.GET.get("original") == "1" and can_view_personal_data(request.user)
    if (feedback.wants_reply or original) and can_view_personal_data(request.user):
        # The page shows the contact or the original unmasked: recorded (PIPL).
        audit_personal_data_view(actor=request.user, target=feedback)
    return _render_detail(request, feedback, original=original)


def _render_detail(
    request, feedback, *, moderation_form=None, reply_form=None, close_form=None, status=200,
    original=False,
):
    templates = selectors.reply_templates_for(feedback.theme)
    return render(
        request,
        "feedback/staff/detail.html",
        {
            "feedback": feedback,
            "original": original,
            "now": timezone.now(),
            "moderation_form": moderation_form
            or ModerationForm(initial={"public_comment": feedback.public_comment}),
            "reply_form": reply_form or ReplyForm(templates=templates),
            "close_form": close_form or CloseForm(),
        },
        status=status,
    )


def _staff_post(request, feedback, form, *, slot: str, act, done):
    """A form of the staff detail page: validate → `act(cleaned_data)` (a service) → a
    message and back to the page; refused: the page again with the errors on the form."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except DomainError as error:
            attach_error(form, error)
        else:
            messages.success(request, done())
            return redirect("feedback:staff_detail", pk=feedback.pk)
    return _render_detail(request, feedback, status=400, **{slot: form})


def _moderate(request, feedback, data) -> None:
    moderator, reason = request.user, data["reason"]
    if data["action"] == "publish":
        edited = data["public_comment"].replace("\r\n", "\n").strip()
        services.feedback_publish(
            feedback=feedback,
            moderator=moderator,
            public_comment=edited if edited != feedback.public_comment else None,
        )
    elif data["action"] == "reject":
        services.feedback_reject(feedback=feedback, moderator=moderator, reason=reason)
    else:
        services.feedback_hide(feedback=feedback, moderator=moderator, reason=reason)


@require_POST
@moderator_required
def staff_moderate(request, pk):
    feedback = selectors.feedback_for_staff(pk, scope=scope_for(request.user))
    return _staff_post(
        request, feedback, ModerationForm(request.POST), slot="moderation_form",
        act=partial(_moderate, request, feedback),
        done=lambda: _("反馈 %(ref)s 已更新为“%(state)s”。")
        % {"ref": feedback.reference, "state": feedback.get_state_display()},
    )


@require_POST
@moderator_required
def staff_reply(request, pk):
    feedback = selectors.feedback_for_staff(pk, scope=scope_for(request.user))
    form = ReplyForm(request.POST, templates=selectors.reply_templates_for(feedback.theme))
    return _staff_post(
        request, feedback, form, slot="reply_form",
        act=lambda data: services.reply_create(
            feedback=feedback, author=request.user, body=data["body"], kind=data["kind"]
        ),
        done=lambda: _("回复已保存。"),
    )


@require_POST
@moderator_required
def staff_close(request, pk):
    feedback = selectors.feedback_for_staff(pk, scope=scope_for(request.user))
    return _staff_post(
        request, feedback, CloseForm(request.POST), slot="close_form",
        act=lambda data: services.case_close(
            feedback=feedback, moderator=request.user, outcome=data["outcome"]
        ),
        done=lambda: _("工单已办结。"),
    )


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
    in_scope = Feedback.objects.filter(scope_for(request.user).q("region"))
    for feedback in in_scope.filter(pk__in=form.cleaned_data["ids"]).order_by("pk"):
        try:
            with transaction.atomic():
                if action == "publish":
                    services.feedback_publish(feedback=feedback, moderator=request.user)
                else:
                    services.feedback_reject(
                        feedback=feedback, moderator=request.user, reason=reason
                    )
        except DomainError:
            failed.append(feedback.reference)
        else:
            done += 1
    if done:
        messages.success(request, _("已处理 %(n)d 条反馈。") % {"n": done})
    if failed:
        messages.warning(
            request,
            _("以下反馈的状态不允许此操作：%(refs)s") % {"refs": "、".join(failed)},
        )
    return redirect(back)
