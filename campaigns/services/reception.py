"""Staff handling of GM-reception cases: 已受理 → 处理中 → 已答复 → 已办结."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notifications
from ..models import ReceptionCase
from .audit import audit_record
from .errors import SignupError

_UNSET = object()


def reception_check(*, case: ReceptionCase, status: str, outcome: str) -> None:
    """The rules of a status change, also used by the admin form to show errors in place."""
    flow = list(ReceptionCase.FLOW)
    if flow.index(status) < flow.index(case.status):
        raise SignupError(_("处理状态只能向前推进。"), code="backwards")
    answered = (ReceptionCase.Status.REPLIED, ReceptionCase.Status.CLOSED)
    if status in answered and not outcome:
        raise SignupError(_("请填写答复客户的内容。"), code="no_outcome")


@transaction.atomic
def reception_update(
    *,
    case: ReceptionCase,
    actor,
    status: str | None = None,
    owner=_UNSET,
    internal_notes: str | None = None,
    outcome: str | None = None,
    reason: str = "",
    now=None,
) -> ReceptionCase:
    """Move a case forward, assign it, note on it or answer the customer; one audit entry.

    The status only moves forward. 已答复/已办结 need an answer the customer can read; the
    first time a case gets there, the first-reply time is stored (due 48 h after booking).
    """
    now = now or timezone.now()
    case = ReceptionCase.objects.select_for_update().get(pk=case.pk)
    changes = {}
    old_status = case.status
    new_status = status or case.status
    new_outcome = case.outcome if outcome is None else outcome.strip()
    reception_check(case=case, status=new_status, outcome=new_outcome)
    fields = []
    if new_status != old_status:
        case.status = new_status
        fields.append("status")
    if owner is not _UNSET and owner != case.owner:
        changes["owner"] = [str(case.owner or ""), str(owner or "")]
        case.owner = owner
        fields.append("owner")
    if internal_notes is not None and internal_notes != case.internal_notes:
        changes["internal_notes"] = "updated"
        case.internal_notes = internal_notes
        fields.append("internal_notes")
    outcome_changed = new_outcome != case.outcome
    if outcome_changed:
        changes["outcome"] = [case.outcome, new_outcome]
        case.outcome = new_outcome
        fields.append("outcome")
    if case.outcome_visible and case.first_replied_at is None:
        case.first_replied_at = now
        fields.append("first_replied_at")
    if not fields:
        return case
    case.save(update_fields=fields)
    audit_record(
        target=case.signup, action="reception.update", actor=actor, from_state=old_status,
        to_state=case.status, changes=changes, reason=reason, at=now,
    )
    if case.outcome_visible and (outcome_changed or old_status != case.status):
        notifications.reception_replied(case)
    return case
