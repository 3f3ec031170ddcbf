"""The audit log (AuditEntry): the one way anything writes to it.

Services record their changes with `audit_record` inside their transaction, after the write.
Views, admin pages and exports that show or hand out personal data call the named helpers
below, so that "who saw what" is recorded the same way everywhere.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from ..models import AuditEntry


def _about(target: models.Model) -> dict:
    return {
        "content_type": ContentType.objects.get_for_model(target),
        "object_id": target.pk,
        "object_repr": str(getattr(target, "reference_display", "") or target.pk)[:200],
    }


def audit_record(
    *,
    target: models.Model,
    action: str,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    changes: dict | None = None,
    reason: str = "",
    at=None,
) -> AuditEntry:
    """Record one change; call it inside the service's transaction, after the write."""
    entry = AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        **_about(target),
        from_state=from_state,
        to_state=to_state,
        changes=changes or {},
        reason=reason,
    )
    if at is not None:
        entry.created_at = at
    entry.save()
    return entry


def audit_records(*, targets, action: str, actor=None, at=None) -> int:
    """The same change on many records (a batch job), in one insert; returns how many."""
    entries = [
        AuditEntry(
            actor=actor, action=action, **_about(target),
            **({"created_at": at} if at is not None else {}),
        )
        for target in targets
    ]
    return len(AuditEntry.objects.bulk_create(entries))


def audit_personal_data_view(*, actor, target: models.Model | None = None,
                             listing: str = "") -> AuditEntry:
    """A staff member saw personal data unmasked: one record (`target`), or a list (the
    entry is then on the staff user, naming the list)."""
    if target is not None:
        return audit_record(target=target, action="view_personal_data", actor=actor)
    return audit_record(target=actor, action="view_personal_data", actor=actor,
                        changes={"list": listing})


def audit_personal_data_search(*, actor, listing: str, masked: str) -> AuditEntry:
    """A staff member searched a list by mobile number (recorded masked: the log is no
    place for the number either)."""
    return audit_record(target=actor, action="search_personal_data", actor=actor,
                        changes={"list": listing, "phone": masked})


def audit_export(*, actor, target: models.Model | None, export: str, fmt: str, filters: dict,
                 unmasked: bool, job: int | None = None) -> AuditEntry | None:
    """A report left the server (a download, or a background job's file); written before the
    data goes. `target`: what the report is about (activity, session, campaign)."""
    target = target or actor
    if target is None:
        return None
    changes = {"export": export, "format": fmt, "filters": filters}
    if job is not None:
        changes["job"] = job
    return audit_record(
        target=target,
        action="export_unmasked" if unmasked else "export",
        actor=actor,
        to_state="unmasked" if unmasked else "masked",
        changes=changes,
    )
