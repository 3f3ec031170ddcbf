"""Erasing a person's data from a finished signup or application (个人信息删除)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import OfficerApplication, ReceptionCase, Signup
from ..refcodes import generate_secret
from .audit import audit_record
from .errors import SignupError

ERASABLE_SIGNUP = (Signup.Status.CANCELLED,)
ERASABLE_APPLICATION = (OfficerApplication.Status.WITHDRAWN, OfficerApplication.Status.REJECTED)


def can_erase(record) -> bool:
    if record.erased_at:
        return False
    if isinstance(record, Signup):
        return record.status in ERASABLE_SIGNUP
    return record.status in ERASABLE_APPLICATION


@transaction.atomic
def personal_data_erase(*, record: Signup | OfficerApplication, actor=None, now=None):
    """Blank the name, number, email and free text; the link stops working.

    Only once the signup is cancelled (or the application withdrawn or not accepted), so the
    places and the queue are never affected. A GM-reception issue is kept, without the account
    number, as a complaint record (retention per the privacy notice); the audit trail stays.
    """
    now = now or timezone.now()
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if not can_erase(record):
        raise SignupError(_("只有已取消或已结束的报名可以删除个人信息。"), code="not_erasable")
    _token, record.secret_hash = generate_secret()
    record.name = record.phone = record.email = ""
    record.erased_at = now
    fields = ["secret_hash", "name", "phone", "email", "erased_at"]
    if isinstance(record, Signup):
        record.interests = record.accessibility_needs = ""
        fields += ["interests", "accessibility_needs"]
        ReceptionCase.objects.filter(signup=record).update(account="", ticket_number="")
    else:
        record.motivation = ""
        fields.append("motivation")
    record.save(update_fields=fields)
    audit_record(target=record, action="personal_data.erase", actor=actor, at=now)
    return record
