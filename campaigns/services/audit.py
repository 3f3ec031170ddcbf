from django.contrib.contenttypes.models import ContentType
from django.db import models

from ..models import AuditEntry


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
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        object_repr=str(getattr(target, "reference_display", "") or target.pk)[:200],
        from_state=from_state,
        to_state=to_state,
        changes=changes or {},
        reason=reason,
    )
    if at is not None:
        entry.created_at = at
    entry.save()
    return entry
