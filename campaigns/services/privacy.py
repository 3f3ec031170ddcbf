"""Erasing a person's data: on their request from a finished signup or application
(个人信息删除), and for everyone once the retention period has passed."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import OfficerApplication, ReceptionCase, Signup
from ..refcodes import generate_secret
from .applications import application_withdraw, can_withdraw
from .audit import audit_record, audit_records
from .errors import SignupError
from .signups import can_cancel, signup_cancel

ERASE_REASON = "personal data erased on request"


def _blanked(model) -> dict:
    """The personal fields of a signup or application, erased (on request and by the purge)."""
    own = {"interests": "", "accessibility_needs": ""} if model is Signup else {"motivation": ""}
    return {"name": "", "phone": "", "email": "", **own}


def _related(record) -> tuple[str, ...]:
    return ("session",) if isinstance(record, Signup) else ()


def can_erase(record) -> bool:
    """A person may erase their data in every state, once."""
    return record.erased_at is None


@transaction.atomic
def personal_data_erase(*, record: Signup | OfficerApplication, actor=None, now=None):
    """Blank the name, number, email and free text; the link stops working.

    In one step: a place still held (or a waiting position) is cancelled first, so the place
    goes to the waiting list; an application still open is withdrawn first. A GM-reception
    issue is kept, without the account number, as a complaint record (until the retention
    purge); the audit trail stays.
    """
    now = now or timezone.now()
    record = type(record).objects.select_related(*_related(record)).get(pk=record.pk)
    if not can_erase(record):
        raise SignupError(_("这条报名的个人信息已经删除。"), code="erased")
    if isinstance(record, Signup) and can_cancel(record, now=now):
        record = signup_cancel(signup=record, actor=actor, reason=ERASE_REASON, now=now)
    elif isinstance(record, OfficerApplication) and can_withdraw(record):
        record = application_withdraw(application=record, actor=actor, reason=ERASE_REASON,
                                      now=now)
    model = type(record)
    record = model.objects.select_for_update().get(pk=record.pk)
    if not can_erase(record):  # erased by a request that ran meanwhile
        raise SignupError(_("这条报名的个人信息已经删除。"), code="erased")
    model.objects.filter(pk=record.pk).update(
        secret_hash=generate_secret()[1], erased_at=now, **_blanked(model)
    )
    if model is Signup:
        ReceptionCase.objects.filter(signup=record).update(account="", ticket_number="")
    record.refresh_from_db()
    audit_record(target=record, action="personal_data.erase", actor=actor, at=now)
    return record


# --- Retention (PIPL: no longer than necessary) ------------------------------------------


@dataclass
class PurgeResult:
    signups: int = 0
    applications: int = 0


def retention_cutoff(now) -> datetime.datetime:
    """Records whose activity ended (or case closed) before this instant are purged."""
    return now - datetime.timedelta(days=settings.RETENTION_DAYS)


def purgeable_signups(now) -> QuerySet[Signup]:
    """Signups (and their GM-reception cases) whose session ended over the retention ago."""
    return Signup.objects.filter(erased_at__isnull=True,
                                 session__ends_at__lt=retention_cutoff(now))


def purgeable_applications(now) -> QuerySet[OfficerApplication]:
    """Applications to an officer programme whose campaign ended over the retention ago."""
    cutoff = timezone.localdate(retention_cutoff(now))
    return OfficerApplication.objects.filter(erased_at__isnull=True,
                                             activity__campaign__ends_on__lt=cutoff)


def personal_data_purge(*, now=None, dry_run: bool = False, batch: int = 500) -> PurgeResult:
    """Erase the personal data of every record past its retention (statistics stay: the
    status, dates, counts and the rollups do not need names, numbers or free text). One
    transaction per batch, one audit entry per record; rows are updated directly, so no
    rollup day goes stale (no field the figures read changes)."""
    now = now or timezone.now()
    signups, applications = purgeable_signups(now), purgeable_applications(now)
    result = PurgeResult(signups=signups.count(), applications=applications.count())
    if dry_run:
        return result
    _purge(signups, now, batch)
    _purge(applications, now, batch)
    return result


def _purge(queryset, now, batch: int) -> None:
    model = queryset.model
    fields = {**_blanked(model), "erased_at": now}
    while ids := list(queryset.order_by("pk").values_list("pk", flat=True)[:batch]):
        with transaction.atomic():
            for pk in ids:  # a fresh secret each: the old link stops working
                model.objects.filter(pk=pk).update(secret_hash=generate_secret()[1], **fields)
            if model is Signup:
                ReceptionCase.objects.filter(signup_id__in=ids).update(
                    description="", account="", ticket_number="", expected_outcome="",
                )
            audit_records(targets=model.objects.filter(pk__in=ids),
                          action="personal_data.purge", at=now)
