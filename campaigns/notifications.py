"""Emails to the public, sent after the transaction commits; failures are logged, not raised.

No task queue: the send runs in the request's process after commit. Logs carry record ids,
never names, numbers or addresses.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .ics import build_event

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
        description=str(_("报名编号:%(code)s") % {"code": signup.reference_display}),
        url=absolute_url(activity.get_absolute_url()),
    )


def _send(*, record, subject, template: str, context: dict, ics: bool = False) -> None:
    if not record.email:
        return
    kind, pk, language, to = type(record).__name__, record.pk, record.language, record.email

    def send():
        try:
            with translation.override(language):
                body = render_to_string(template, {"record": record, **context})
                message = EmailMessage(str(subject), body, to=[to])
                if ics:
                    message.attach("invitation.ics", signup_ics(record), "text/calendar")
            message.send()
        except Exception as exc:
            # Only the error's type: SMTP errors may quote the recipient's address.
            logger.error("Sending %s for %s %s failed: %s", template, kind, pk,
                         type(exc).__name__)

    transaction.on_commit(send)


def signup_created(signup, token: str) -> None:
    if not signup.email:
        return
    _send(
        record=signup,
        subject=_("报名确认:优质服务体验季"),
        template="campaigns/email/signup_created.txt",
        context={"link": link_url(token, signup.language)},
        ics=signup.status == "confirmed",
    )


def signup_promoted(signup) -> None:
    _send(
        record=signup,
        subject=_("候补成功:您已获得活动名额"),
        template="campaigns/email/signup_promoted.txt",
        context={},
        ics=True,
    )


def signup_cancelled(signup, *, by_staff: bool) -> None:
    _send(
        record=signup,
        subject=_("报名已取消:优质服务体验季"),
        template="campaigns/email/signup_cancelled.txt",
        context={"by_staff": by_staff},
    )


def reception_replied(case) -> None:
    _send(
        record=case.signup,
        subject=_("总经理接待日:您的问题有了答复"),
        template="campaigns/email/reception_replied.txt",
        context={"case": case},
    )


def application_submitted(application, token: str) -> None:
    if not application.email:
        return
    _send(
        record=application,
        subject=_("服务体验官报名已收到"),
        template="campaigns/email/application_submitted.txt",
        context={"link": link_url(token, application.language)},
    )


def application_reviewed(application) -> None:
    _send(
        record=application,
        subject=_("服务体验官报名审核结果"),
        template="campaigns/email/application_reviewed.txt",
        context={},
    )
