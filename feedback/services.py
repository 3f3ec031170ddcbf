"""Every write the feedback domain knows; one transaction each, its FeedbackEvent included.
Refusals are `FeedbackError`s (campaigns.services.errors: a message, a code, a field).

Views, admin actions, the management command, demo data and tests all call these.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.clock import reply_due_at
from campaigns.masking import mask_personal_data
from campaigns.models import (
    Activity,
    PhoneCode,
    ReceptionCase,
    Region,
    Signup,
    Theme,
    ThemeItem,
)
from campaigns.phone import INVALID_MESSAGE, normalize_mobile
from campaigns.privacy import current_notice
from campaigns.public_cache import public_pages_changed
from campaigns.refcodes import code_in_use, generate_code, normalize_code
from campaigns.selectors import records_for_phone
from campaigns.services.audit import audit_record, audit_records
from campaigns.services.errors import DomainError
from campaigns.services.escalation import Step, escalate
from campaigns.services.privacy import personal_data_erase, retention_cutoff
from config.tasks import enqueue_on_commit

from .models import ACTIVITY_ONLY_DIMENSIONS, DIMENSIONS, Feedback, FeedbackEvent, Reply
from .notifications import notify_customer, official_replied
from .scoring import opens_case


class FeedbackError(DomainError):
    """A feedback, moderation or reply rule said no."""


def _duplicate_rating() -> FeedbackError:
    return FeedbackError(
        _(
            "这个手机号已经评价过该活动，每个手机号对同一活动只能评价一次。"
            "如需补充或查询处理进度，请使用提交时获得的反馈编号。"
        ),
        code="duplicate",
        field="phone",
    )


def _record(feedback, *, action, actor=None, from_state="", to_state="", reason="", now):
    # Every change to feedback comes through here: the wall and the scoreboard refresh.
    public_pages_changed()
    return FeedbackEvent.objects.create(
        feedback=feedback,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        created_at=now,
    )


def _new_reference() -> str:
    for _attempt in range(10):
        reference = generate_code()
        if not code_in_use(reference, Feedback):
            return reference
    raise RuntimeError("Could not find a free feedback reference")  # pragma: no cover


@transaction.atomic
def feedback_submit(
    *,
    theme: Theme,
    kind: str,
    overall_score: int,
    recommend_score: int,
    comment: str,
    activity: Activity | None = None,
    region: Region | None = None,
    theme_item: ThemeItem | None = None,
    dimensions: dict[str, int | None] | None = None,
    wants_reply: bool = False,
    name: str = "",
    phone: str = "",
    email: str = "",
    consent: bool = False,
    signup_reference: str = "",
    language: str = "",
    now: datetime.datetime | None = None,
) -> Feedback:
    """Record a customer's feedback; opens a case (48-hour clock) for complaints and low scores.

    With a signup's reference code and the phone it was made with, the feedback is linked to
    that signup (a verified participant) and, if no activity was chosen, to its activity.
    The feedback belongs to the region whose company answers it: the signup's session's,
    else the activity's, else the city the person chose (none: the national team).
    """
    now = now or timezone.now()
    errors = {}
    comment = (comment or "").strip()
    if not comment:
        errors["comment"] = FeedbackError(_("请填写评价内容。"), code="required")
    if theme_item is not None and theme_item.theme_id != theme.pk:
        errors["theme_item"] = FeedbackError(_("所选产品或服务不属于该主题。"), code="foreign_item")
    if activity is not None and (
        not activity.is_published or activity.campaign_id != theme.campaign_id
    ):
        errors["activity"] = FeedbackError(
            _("请选择本次活动季中已发布的活动。"), code="unpublished"
        )
    if region is not None and region.level != Region.Level.CITY:
        errors["region"] = FeedbackError(_("请选择城市。"), code="not_a_city")
    if not 1 <= overall_score <= 10:
        errors["overall_score"] = FeedbackError(_("总体满意度为1到10分。"), code="range")
    if not 0 <= recommend_score <= 10:
        errors["recommend_score"] = FeedbackError(_("推荐意愿为0到10分。"), code="range")
    scores = {field: None for field, _label in DIMENSIONS}
    for field, value in (dimensions or {}).items():
        if field not in scores:
            raise ValueError(f"Unknown dimension {field!r}")
        if value is not None and not 1 <= value <= 10:
            errors[field] = FeedbackError(_("评分为1到10分，或选择“未体验”。"), code="range")
        scores[field] = value
    if activity is None:
        for field in ACTIVITY_ONLY_DIMENSIONS:
            scores[field] = None

    gives_phone = wants_reply or bool(signup_reference)
    if wants_reply and not (name or "").strip():
        errors["name"] = FeedbackError(_("希望得到回复时，请填写姓名。"), code="required")
    if gives_phone:
        try:
            phone = normalize_mobile(phone)
        except ValueError:
            errors["phone"] = FeedbackError(INVALID_MESSAGE, code="invalid")
        if not consent:
            errors["consent"] = FeedbackError(
                _("留下联系方式需要同意个人信息保护说明。"), code="consent"
            )
    else:
        phone = ""
    if not wants_reply:
        name, email = "", ""
    if errors:
        raise FeedbackError(errors, code="invalid")

    signup = None
    if signup_reference:
        signup = _participant_signup(reference=signup_reference, phone=phone, activity=activity)
        activity = signup.session.activity
    region_id = region.pk if region is not None else None
    if signup is not None and signup.session.region_id:
        region_id = signup.session.region_id
    elif activity is not None:
        region_id = activity.region_id

    if activity is not None and phone and _already_rated(activity=activity, phone=phone):
        raise _duplicate_rating()

    is_case = opens_case(kind=kind, overall_score=overall_score)
    feedback = Feedback(
        reference=_new_reference(),
        activity=activity,
        region_id=region_id,
        theme=theme,
        theme_item=theme_item,
        kind=kind,
        overall_score=overall_score,
        recommend_score=recommend_score,
        comment=comment,
        public_comment=mask_personal_data(comment, names=(name,)),
        wants_reply=wants_reply,
        name=name.strip(),
        phone=phone,
        email=email.strip(),
        consent_at=now if gives_phone else None,
        privacy_version=current_notice().version if gives_phone else "",
        language=language[:10],
        reply_due_at=reply_due_at(now) if is_case else None,
        signup=signup,
        created_at=now,
        **scores,
    )
    # Foreign keys are rows the caller already holds (and the database checks them): field
    # validation would query each one again.
    feedback.full_clean(
        exclude=["reference", "activity", "region", "theme", "theme_item", "signup"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError as error:
        # Two submissions with the same phone for the same activity raced past the check.
        if activity is not None and phone and _already_rated(activity=activity, phone=phone):
            raise _duplicate_rating() from error
        raise
    _record(
        feedback,
        action=FeedbackEvent.Action.SUBMITTED,
        to_state=feedback.state,
        now=now,
    )
    return feedback


def _participant_signup(*, reference: str, phone: str, activity: Activity | None) -> Signup:
    """The signup behind a verified rating; a wrong code and a wrong phone read the same."""
    signup = (
        Signup.objects.filter(
            reference=normalize_code(reference),
            phone=phone,
            status__in=Signup.RATEABLE,
        )
        .select_related("session__activity")
        .first()
    )
    if signup is None:
        raise FeedbackError(
            _("报名编号与手机号不匹配，或该报名未成功。请核对后再试。"),
            code="not_participant", field="signup_reference",
        )
    if activity is not None and signup.session.activity_id != activity.pk:
        raise FeedbackError(
            _("这个报名编号属于活动“%(title)s”，请选择该活动。")
            % {"title": signup.session.activity.title},
            code="other_activity", field="signup_reference",
        )
    if Feedback.objects.filter(signup=signup).exists():
        raise FeedbackError(
            _("这次报名已经评价过了。"), code="already_rated", field="signup_reference"
        )
    return signup


def _already_rated(*, activity: Activity, phone: str) -> bool:
    return Feedback.objects.filter(activity=activity, phone=phone).exists()


def _locked(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().get(pk=feedback.pk)


def _moderate(feedback, *, to_state, action, moderator, reason="", now=None, extra=None):
    now = now or timezone.now()
    locked = _locked(feedback)
    from_state = locked.state
    if to_state not in Feedback.TRANSITIONS[Feedback.State(from_state)]:
        raise FeedbackError(
            _("不能从“%(from)s”变为“%(to)s”。")
            % {
                "from": Feedback.State(from_state).label,
                "to": Feedback.State(to_state).label,
            },
            code="transition",
        )
    locked.state = to_state
    locked.moderated_by = moderator
    locked.moderated_at = now
    fields = ["state", "moderated_by", "moderated_at", "updated_at"]
    for field, value in (extra or {}).items():
        setattr(locked, field, value)
        fields.append(field)
    locked.save(update_fields=fields)
    _record(
        locked,
        action=action,
        actor=moderator,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        now=now,
    )
    feedback.refresh_from_db()
    return feedback


@transaction.atomic
def feedback_publish(
    *, feedback: Feedback, moderator, public_comment: str | None = None, now=None
) -> Feedback:
    """Show the feedback on the wall; an edited public text is masked again all the same."""
    extra = {"rejection_reason": ""}
    if public_comment is not None:
        public_comment = mask_personal_data(public_comment.strip(), names=(feedback.name,))
        if not public_comment:
            raise FeedbackError(_("公开内容不能为空。"), code="required", field="public_comment")
        extra["public_comment"] = public_comment
    return _moderate(
        feedback,
        to_state=Feedback.State.PUBLISHED,
        action=FeedbackEvent.Action.PUBLISHED,
        moderator=moderator,
        now=now,
        extra=extra,
    )


@transaction.atomic
def feedback_reject(*, feedback: Feedback, moderator, reason: str, now=None) -> Feedback:
    reason = (reason or "").strip()
    if not reason:
        raise FeedbackError(_("驳回时请填写原因。"), code="reason", field="reason")
    return _moderate(
        feedback,
        to_state=Feedback.State.REJECTED,
        action=FeedbackEvent.Action.REJECTED,
        moderator=moderator,
        reason=reason,
        now=now,
        extra={"rejection_reason": reason[:200]},
    )


@transaction.atomic
def feedback_hide(*, feedback: Feedback, moderator, reason: str = "", now=None) -> Feedback:
    return _moderate(
        feedback,
        to_state=Feedback.State.HIDDEN,
        action=FeedbackEvent.Action.HIDDEN,
        moderator=moderator,
        reason=(reason or "").strip(),
        now=now,
    )


@transaction.atomic
def reply_create(
    *, feedback: Feedback, author, body: str, kind: str = Reply.Kind.OFFICIAL, now=None
) -> Reply:
    """An official reply (public, starts/stops the clock) or an internal note (never public)."""
    now = now or timezone.now()
    body = (body or "").strip()
    if not body:
        raise FeedbackError(_("请填写回复内容。"), code="required", field="body")
    if len(body) > Reply._meta.get_field("body").max_length:
        raise FeedbackError(_("回复内容过长。"), code="too_long", field="body")
    locked = _locked(feedback)
    from_status = locked.case_status
    reply = Reply.objects.create(
        feedback=locked, kind=kind, author=author, body=body, created_at=now
    )
    if kind == Reply.Kind.OFFICIAL and locked.first_replied_at is None:
        locked.first_replied_at = now
        locked.save(update_fields=["first_replied_at", "updated_at"])
    official = kind == Reply.Kind.OFFICIAL
    _record(
        locked,
        action=FeedbackEvent.Action.REPLIED if official else FeedbackEvent.Action.NOTED,
        actor=author,
        from_state=from_status if locked.is_case else "",
        to_state=locked.case_status if locked.is_case else "",
        now=now,
    )
    feedback.refresh_from_db()
    if official and locked.email:
        enqueue_on_commit(notify_customer, feedback_id=locked.pk, reply_id=reply.pk)
    if official:
        official_replied(locked)
    return reply


@transaction.atomic
def case_close(*, feedback: Feedback, moderator, outcome: str, now=None) -> Feedback:
    """Mark a case 已办结 with its outcome; it must have had an official reply first."""
    now = now or timezone.now()
    outcome = (outcome or "").strip()
    locked = _locked(feedback)
    if not locked.is_case:
        raise FeedbackError(_("这条反馈没有需要办结的工单。"), code="not_a_case")
    if locked.closed_at:
        raise FeedbackError(_("该工单已经办结。"), code="closed")
    if locked.first_replied_at is None:
        raise FeedbackError(_("请先发布正式答复，再办结工单。"), code="no_reply")
    if not outcome:
        raise FeedbackError(_("办结时请填写办理结果。"), code="required", field="outcome")
    from_status = locked.case_status
    locked.closed_at = now
    locked.outcome = outcome
    locked.save(update_fields=["closed_at", "outcome", "updated_at"])
    _record(
        locked,
        action=FeedbackEvent.Action.CLOSED,
        actor=moderator,
        from_state=from_status,
        to_state=locked.case_status,
        reason=outcome,
        now=now,
    )
    feedback.refresh_from_db()
    if locked.email:
        enqueue_on_commit(notify_customer, feedback_id=locked.pk)
    return feedback


@transaction.atomic
def feedback_contact_erase(*, feedback: Feedback, now=None) -> Feedback:
    """The person erases the contact details they left (and the personal data in their
    original text); the ratings and the public text stay. Audited."""
    now = now or timezone.now()
    locked = _locked(feedback)
    if not (locked.phone or locked.name or locked.email):
        raise FeedbackError(_("这条反馈没有可删除的联系方式。"), code="no_contact")
    _erase_contact(locked)
    audit_record(target=locked, action="personal_data.erase", at=now)
    feedback.refresh_from_db()
    return feedback


@transaction.atomic
def personal_data_erase_number(*, phone: str, now=None) -> int:
    """我的 → 删除个人信息: erase everything this number left, in one step: each signup and
    application (places given back, applications withdrawn: campaigns' own erase), the
    contact details of each feedback, and its SMS codes. Returns how many records."""
    now = now or timezone.now()
    records = records_for_phone(phone)
    for record in [*records.signups, *records.applications]:
        personal_data_erase(record=record, now=now)
    feedback = list(Feedback.objects.select_for_update().filter(phone=phone))
    for row in feedback:
        _erase_contact(row)
        audit_record(target=row, action="personal_data.erase", at=now)
    PhoneCode.objects.filter(phone=phone).delete()
    return len(records.signups) + len(records.applications) + len(feedback)


def _erase_contact(row: Feedback) -> None:
    public = row.public_comment or mask_personal_data(row.comment, names=(row.name,))
    Feedback.objects.filter(pk=row.pk).update(
        name="", phone="", email="", wants_reply=False, comment=public, public_comment=public,
    )


# --- Retention ------------------------------------------------------------------------------


def purgeable_contacts(now) -> QuerySet[Feedback]:
    """Feedback with contact details whose case closed (or, without a case, that was given)
    over the retention ago; an unanswered case keeps its contact until it is closed."""
    cutoff = retention_cutoff(now)
    has_contact = ~Q(phone="") | ~Q(name="") | ~Q(email="") | ~Q(comment=F("public_comment"))
    ended = Q(closed_at__lt=cutoff) | Q(reply_due_at__isnull=True, created_at__lt=cutoff)
    return Feedback.objects.filter(has_contact, ended)


def feedback_contact_purge(*, now=None, dry_run: bool = False, batch: int = 500) -> int:
    """Erase name, phone and email and replace the original text by its public (masked)
    version, past the retention period; the ratings and cases stay for the statistics.
    Rows are updated directly: no figure the dashboard reads changes."""
    now = now or timezone.now()
    feedback = purgeable_contacts(now)
    count = feedback.count()
    if dry_run:
        return count
    while rows := list(feedback.order_by("pk")[:batch]):
        with transaction.atomic():
            for row in rows:
                _erase_contact(row)
            audit_records(targets=rows, action="personal_data.purge", at=now)
    return count


def escalate_cases(*, now: datetime.datetime) -> list[Step]:
    """Climb the escalation ladder for every unanswered feedback case and GM-reception case."""
    return [
        *escalate(Feedback, region_path="region", permission="feedback.moderate_feedback",
                  now=now),
        *escalate(ReceptionCase, region_path="signup__session__region",
                  permission="campaigns.change_receptioncase", now=now),
    ]
