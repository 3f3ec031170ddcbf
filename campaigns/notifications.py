"""Emails and text messages to the public, and the background task that sends the emails.

The services call `signup_created(signup)` & co. inside their transaction; each queues the
task `send_notification` (below) with the record's id once the transaction commits. The
task calls `deliver()`, which reads the record again, renders the email in the person's
language and sends it. A mail server that fails never undoes the signup: the task logs ids
and the error's class, and is tried again later (config/tasks.py).

Text messages (campaigns/sms/) go to the number for the same events, whether or not an
email was given: the sources below build each one from the record when the SMS task runs.

The self-service link is made when the email is sent: a new token whose hash replaces the
record's `secret_hash`. So the token is never in the database or the queue, only in the email.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from config.operations.ledger import send_once
from config.tasks import enqueue_on_commit, run_with_retry

from .ics import build_event
from .models import (
    Activity,
    Escalation,
    EscalationNotice,
    OfficerApplication,
    ReceptionCase,
    Signup,
)
from .refcodes import generate_secret
from .sms.catalogue import build, short_time, site_host
from .sms.delivery import Outgoing, queue_sms, sms_source

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def link_url(token: str, language: str) -> str:
    with translation.override(language):
        return absolute_url(reverse("campaigns:my_link", kwargs={"token": token}))


def signup_ics(signup) -> str:
    session = signup.session
    activity = session.activity
    if session.is_online:
        location = session.online_url or _("线上")
    else:
        location = f"{session.city} {session.venue}"
    return build_event(
        uid=f"signup-{signup.reference}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=f"{activity.title} · {session.title}" if session.title else activity.title,
        location=str(location),
        description=str(_("报名编号：%(code)s") % {"code": signup.reference_display}),
        url=absolute_url(activity.get_absolute_url()),
    )


# --- What each email is -----------------------------------------------------------------
# kind → (model, subject, template, with the self-service link, with the calendar file)

EMAILS = {
    "signup_created": (
        Signup, _("报名确认：优质服务体验季"), "campaigns/email/signup_created.txt", True, True
    ),

    "signup_promoted": (
        Signup, _("候补成功：您已获得活动名额"), "campaigns/email/signup_promoted.txt", False, True
    ),
    "signup_cancelled": (
        Signup, _("报名已取消：优质服务体验季"), "campaigns/email/signup_cancelled.txt", False,
        False,
    ),
    "reception_replied": (
        ReceptionCase, _("总经理接待日：您的问题有了答复"), "campaigns/email/reception_replied.txt",
        False, False,
    ),
    "application_submitted": (
        OfficerApplication, _("服务体验官报名已收到"),
        "campaigns/email/application_submitted.txt", True, False,
    ),
    "link_renewed": (
        Signup, _("您的报名查看链接"), "campaigns/email/link_renewed.txt", True, False,
    ),
    "application_link_renewed": (
        OfficerApplication, _("您的报名查看链接"), "campaigns/email/link_renewed.txt", True,
        False,
    ),
    "application_reviewed": (
        OfficerApplication, _("服务体验官报名审核结果"),
        "campaigns/email/application_reviewed.txt", False, False,
    ),
}


def _queue(kind: str, record, **options) -> None:
    enqueue_on_commit(send_notification, kind=kind, record_id=record.pk, **options)


def signup_created(signup) -> None:
    if signup.email:
        _queue("signup_created", signup)
    queue_sms("signup_confirmed", signup.pk)
    session = signup.session
    if session.is_online and session.activity.kind == Activity.Kind.GM_RECEPTION:
        queue_sms("reception_video", signup.pk)  # if booked by video (checked when sent)


def signup_promoted(signup) -> None:
    if signup.email:
        _queue("signup_promoted", signup)
    queue_sms("signup_promoted", signup.pk)


def signup_cancelled(signup, *, by_staff: bool) -> None:
    if signup.email:
        _queue("signup_cancelled", signup, by_staff=by_staff)


def reception_replied(case) -> None:
    if case.signup.email:
        _queue("reception_replied", case)
    queue_sms("reception_replied", case.pk)


def escalation_notice_created(notice) -> None:
    """A staff member is told of a rung a case climbed: email, and SMS to the alert number."""
    if notice.recipient.user.email:
        enqueue_on_commit(send_escalation_notice, notice_id=notice.pk)
    if notice.recipient.alert_phone:
        queue_sms("escalation", notice.pk)


def application_submitted(application) -> None:
    if application.email:
        _queue("application_submitted", application)


def link_renewed(record) -> bool:
    """Send a new self-service link (the person asked, signed in by phone + reference);
    False when there is no email to send it to."""
    if not record.email:
        return False
    _queue("link_renewed" if isinstance(record, Signup) else "application_link_renewed", record)
    return True


def application_reviewed(application) -> None:
    if application.email:
        _queue("application_reviewed", application)
    queue_sms("application_result", application.pk)


# --- Text messages (built in the worker, from the record as it is then) -------------------


def _live_signup(signup_id: int, *statuses) -> Signup | None:
    signup = (
        Signup.objects.select_related("session__activity", "reception")
        .filter(pk=signup_id, erased_at=None, status__in=statuses).first()
    )
    return signup if signup and signup.phone else None


@sms_source("signup_confirmed")
def _signup_confirmed_sms(signup_id: int) -> Outgoing | None:
    signup = _live_signup(signup_id, Signup.Status.CONFIRMED)
    if signup is None:
        return None  # waiting (the promotion sends its own), cancelled or erased meanwhile
    return Outgoing(build(
        "signup_confirmed", signup.phone, activity=signup.session.activity.title,
        time=short_time(signup.session.starts_at), reference=signup.reference_display,
    ))


@sms_source("signup_promoted")
def _signup_promoted_sms(signup_id: int) -> Outgoing | None:
    signup = _live_signup(signup_id, Signup.Status.CONFIRMED)
    if signup is None:
        return None
    return Outgoing(build(
        "signup_promoted", signup.phone, activity=signup.session.activity.title,
        time=short_time(signup.session.starts_at), reference=signup.reference_display,
    ))


def video_link_signup(signup) -> bool:
    """A confirmed online GM-reception booking by video: it has a meeting link to send."""
    reception = getattr(signup, "reception", None)
    return bool(
        reception and reception.contact_mode == ReceptionCase.ContactMode.VIDEO
        and signup.session.is_online and signup.session.online_url
    )


@sms_source("reception_video")
def _reception_video_sms(signup_id: int) -> Outgoing | None:
    signup = _live_signup(signup_id, Signup.Status.CONFIRMED)
    if signup is None or not video_link_signup(signup):
        return None
    return Outgoing(build(
        "reception_video", signup.phone, time=short_time(signup.session.starts_at),
        host=site_host(), code=signup.reference,
    ))


@sms_source("reception_replied")
def _reception_replied_sms(case_id: int) -> Outgoing | None:
    case = ReceptionCase.objects.select_related("signup").filter(pk=case_id).first()
    if case is None or case.signup.erased_at or not case.signup.phone:
        return None
    return Outgoing(build("reply", case.signup.phone, subject=_("接待日问题"),
                          reference=case.signup.reference_display))


APPLICATION_RESULTS = {
    OfficerApplication.Status.ACCEPTED: _("已被录用"),
    OfficerApplication.Status.REJECTED: _("未被录用"),
    OfficerApplication.Status.RESERVE: _("已列入候补"),
}


@sms_source("application_result")
def _application_result_sms(application_id: int) -> Outgoing | None:
    application = OfficerApplication.objects.filter(
        pk=application_id, erased_at=None,
        status__in=list(APPLICATION_RESULTS),
    ).first()
    if application is None or not application.phone:
        return None
    return Outgoing(build("application_result", application.phone,
                          reference=application.reference_display,
                          result=APPLICATION_RESULTS[application.status]))


def _escalated_case(notice_id: int):
    """(notice, the case it is about) as they are now; None when either is gone."""
    notice = (EscalationNotice.objects.select_related("entry__content_type", "recipient__user")
              .filter(pk=notice_id).first())
    case = notice and notice.entry.target
    return (notice, case) if case is not None else None


@sms_source("escalation")
def _escalation_sms(notice_id: int) -> Outgoing | None:
    found = _escalated_case(notice_id)
    if found is None or not found[0].recipient.alert_phone:
        return None
    notice, case = found
    return Outgoing(build("escalation", notice.recipient.alert_phone, case=str(case),
                          level=Escalation(notice.entry.to_state).label))


def escalation_message(notice_id: int) -> EmailMessage | None:
    """The email to one staff member about one rung; nothing personal (the case's reference
    and category, its deadline and a link to it)."""
    found = _escalated_case(notice_id)
    if found is None or not found[0].recipient.user.email:
        return None
    notice, case = found
    level = Escalation(notice.entry.to_state)
    with translation.override(settings.LANGUAGE_CODE):
        context = {"case": case, "level": level.label, "clock": case.clock(timezone.now()),
                   "due": getattr(case, case.CLOCK.due),
                   "url": absolute_url(case.get_staff_url()),
                   "hours": settings.CASE_ESCALATION_HOURS}
        subject = _("【超时升级】%(case)s %(level)s") % {"case": case, "level": level.label}
        body = render_to_string("campaigns/email/escalation.txt", context)
    return EmailMessage(str(subject), body, to=[notice.recipient.user.email])


@task()
def send_escalation_notice(*, notice_id: int, attempt: int = 1) -> bool:
    """Email one staff member that a case climbed a rung; retried on errors."""
    def work() -> bool:
        message = escalation_message(notice_id)
        if message is None:
            return False
        message.send()
        return True

    return run_with_retry(send_escalation_notice, attempt=attempt,
                          kwargs={"notice_id": notice_id}, work=work)


# --- Sending (in the worker) --------------------------------------------------------------


def _fresh_link(record) -> str:
    """A new self-service token for `record`; only its hash is stored (the old link stops
    working) with the time it was made (it expires from then: link_valid_until)."""
    token, record.secret_hash = generate_secret()
    record.secret_issued_at = timezone.now()
    record.save(update_fields=["secret_hash", "secret_issued_at"])
    return link_url(token, record.language)


# A signup that ended up on the waiting list gets the same email under a subject that says so
# (its status is only known after the commit, when the email is built).
WAITLISTED_SUBJECT = _("候补登记：优质服务体验季")
# A GM-reception slot is booked (预约), not signed up for (报名).
RECEPTION_SUBJECTS = {
    "signup_created": _("预约成功：总经理接待日"),
    "signup_cancelled": _("预约已取消：总经理接待日"),
}


def build_message(kind: str, record_id: int, *, by_staff: bool = False) -> EmailMessage | None:
    """The email `kind` for the record as it is now; None when there is no one to write to."""
    model, subject, template, with_link, with_ics = EMAILS[kind]
    queryset = model.objects.all()
    if model is ReceptionCase:
        queryset = queryset.select_related("signup__session__activity")
    elif model is Signup:
        queryset = queryset.select_related("session__activity")
    else:
        queryset = queryset.select_related("activity")
    obj = queryset.filter(pk=record_id).first()
    if obj is None:
        return None
    record = obj.signup if model is ReceptionCase else obj
    if not record.email or record.erased_at:
        return None
    if kind == "signup_created" and record.status == Signup.Status.WAITLISTED:
        subject = WAITLISTED_SUBJECT
    elif model is Signup and kind in RECEPTION_SUBJECTS and record.is_reception:
        subject = RECEPTION_SUBJECTS[kind]
    context = {"record": record, "by_staff": by_staff}
    if model is ReceptionCase:
        context["case"] = obj
    if with_link:
        context["link"] = _fresh_link(record)
    with translation.override(record.language or settings.LANGUAGE_CODE):
        message = EmailMessage(str(subject), render_to_string(template, context), to=[record.email])
        if with_ics and record.status == Signup.Status.CONFIRMED:
            message.attach("invitation.ics", signup_ics(record), "text/calendar")
    return message


def _send_built(kind: str, record_id: int, *, by_staff: bool) -> bool:
    message = build_message(kind, record_id, by_staff=by_staff)
    if message is None:
        return False
    message.send()
    return True


def deliver(kind: str, record_id: int, *, by_staff: bool = False, delivery_key: str = "") -> bool:
    """Send the email now; errors propagate (the task retries). False if nothing to send, or
    if the email with `delivery_key` was already sent (operations/ledger.py)."""
    return send_once(delivery_key, channel="email", kind=kind,
                     send=lambda: _send_built(kind, record_id, by_staff=by_staff))


@task()
def send_notification(*, kind: str, record_id: int, by_staff: bool = False,
                      attempt: int = 1, delivery_key: str = "", request_id: str = "") -> bool:
    """Send the email `kind` about a signup, reception case or application; retried on errors,
    sent once (arguments are ids and flags only)."""
    kwargs = {"kind": kind, "record_id": record_id, "delivery_key": delivery_key,
              "request_id": request_id}
    if by_staff:
        kwargs["by_staff"] = True
    return run_with_retry(
        send_notification,
        attempt=attempt,
        kwargs=kwargs,
        work=lambda: deliver(kind, record_id, by_staff=by_staff, delivery_key=delivery_key),
    )
