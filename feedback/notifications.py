"""Emails of the feedback side and the background tasks that send them.

`notify_customer` tells a customer about an official reply or the closing of their case
(queued after commit by feedback.services), and `official_replied` texts the number of one
who asked for a reply; `alert_overdue` sends the moderators the cases
past the first-reply deadline (`manage.py feedback_overdue --notify`). Everything is read from
the database when the task runs, so the queue holds ids only; failures are retried with
backoff (config/tasks.py).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from campaigns.refcodes import format_code
from campaigns.sms.catalogue import build
from campaigns.sms.delivery import Outgoing, queue_sms, sms_source
from config.operations.ledger import send_once
from config.tasks import run_with_retry

from .models import Feedback, Reply
from .selectors import overdue_cases


def customer_message(*, feedback_id: int, reply_id: int | None = None) -> EmailMessage | None:
    """The email about a reply (or, without one, the closing); None if no one to write to."""
    feedback = Feedback.objects.filter(pk=feedback_id).first()
    if feedback is None or not feedback.email:
        return None
    reply = Reply.objects.filter(pk=reply_id, feedback=feedback).first() if reply_id else None
    if reply_id and reply is None:
        return None
    with translation.override(feedback.language or settings.LANGUAGE_CODE):
        context = {
            "feedback": feedback,
            "reply": reply,
            "status_path": getattr(settings, "SITE_URL", "").rstrip("/")
            + reverse("feedback:status"),
        }
        subject = render_to_string("feedback/email/reply_subject.txt", context).strip()
        body = render_to_string("feedback/email/reply_body.txt", context)
    return EmailMessage(subject, body, to=[feedback.email])


def official_replied(feedback) -> None:
    """Text the number of a person who asked for a reply (queued after commit)."""
    if feedback.wants_reply and feedback.phone:
        queue_sms("feedback_replied", feedback.pk)


@sms_source("feedback_replied")
def _feedback_replied_sms(feedback_id: int) -> Outgoing | None:
    feedback = Feedback.objects.filter(pk=feedback_id, wants_reply=True).exclude(phone="").first()
    if feedback is None:
        return None  # contact details erased meanwhile
    return Outgoing(build("reply", feedback.phone, subject=gettext_lazy("反馈"),
                          reference=format_code(feedback.reference)))


def alert_recipients() -> list[str]:
    configured = getattr(settings, "FEEDBACK_ALERT_EMAILS", None)
    if configured:
        return list(configured)
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    moderators = users.filter(
        Q(is_superuser=True)
        | Q(user_permissions__codename="moderate_feedback")
        | Q(groups__permissions__codename="moderate_feedback")
    ).distinct()
    return sorted(moderators.values_list("email", flat=True))


def overdue_report(now=None) -> tuple[str, list[str]]:
    """(summary, one line per case) in the site's language; ('', []) when none is overdue.

    Nothing personal: reference, theme, deadline and how late.
    """
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            f"{case.reference}\t{case.theme.name}\t"
            f"{timezone.localtime(case.reply_due_at):%Y-%m-%d %H:%M}\t"
            f"{case.clock(now).label}"
            for case in overdue_cases(now=now)
        ]
        if not lines:
            return "", []
        summary = _("%(n)d 个工单超过%(hours)d小时未首次回复：") % {
            "n": len(lines),
            "hours": settings.FIRST_REPLY_HOURS,
        }
    return summary, lines


def overdue_alert() -> EmailMessage | None:
    summary, lines = overdue_report()
    recipients = alert_recipients()
    if not lines or not recipients:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("【提醒】%(n)d 个反馈工单已超时") % {"n": len(lines)}
    return EmailMessage(subject, "\n".join([summary, "", *lines]), to=recipients)


# --- Tasks (run by the worker) ------------------------------------------------------------


def _send(message) -> bool:
    if message is None:
        return False
    message.send()
    return True


@task()
def notify_customer(*, feedback_id: int, reply_id: int | None = None, attempt: int = 1,
                    delivery_key: str = "", request_id: str = "") -> bool:
    """Email the customer about an official reply, or (without reply_id) the case's closing;
    sent once however often the task runs (operations/ledger.py)."""
    kwargs = {"feedback_id": feedback_id, "delivery_key": delivery_key, "request_id": request_id}
    if reply_id:
        kwargs["reply_id"] = reply_id
    return run_with_retry(
        notify_customer,
        attempt=attempt,
        kwargs=kwargs,
        work=lambda: send_once(
            delivery_key, channel="email", kind="feedback_reply",
            send=lambda: _send(customer_message(feedback_id=feedback_id, reply_id=reply_id)),
        ),
    )


@task()
def alert_overdue(*, attempt: int = 1, delivery_key: str = "", request_id: str = "") -> bool:
    """Email the moderators the cases past their first-reply deadline, as they are now."""
    return run_with_retry(
        alert_overdue, attempt=attempt,
        kwargs={"delivery_key": delivery_key, "request_id": request_id},
        work=lambda: send_once(delivery_key, channel="email", kind="overdue_alert",
                               send=lambda: _send(overdue_alert())),
    )
