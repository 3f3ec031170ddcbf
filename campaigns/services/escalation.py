"""The escalation ladder of "48小时首次回复客户投诉": a case (a complaint or low score, a
GM-reception issue) still without its first reply climbs a rung when the clock says so —
at its due time the city team is told, CASE_ESCALATION_HOURS later the province, then the
national team — and each rung is taken once, audited, and announced to that level's staff.

`escalate` is what cron runs (manage.py feedback_overdue --notify): it can run as often as
one likes, and a case whose run was missed climbs every rung it passed, in order.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q

from .. import notifications
from ..models import Escalation, EscalationNotice, StaffScope
from ..regions import province_of
from .audit import audit_record

LADDER = (Escalation.CITY, Escalation.PROVINCE, Escalation.NATIONAL)
_ORDER = (Escalation.NONE, *LADDER)


def rung_at(due_at: datetime.datetime, now: datetime.datetime) -> str:
    """The rung an unanswered case due at `due_at` has reached at `now` ("" before it)."""
    reached = Escalation.NONE
    for level, hours in zip(LADDER, settings.CASE_ESCALATION_HOURS, strict=True):
        if now >= due_at + datetime.timedelta(hours=hours):
            reached = level
    return reached


@dataclass(frozen=True)
class Step:
    label: str  # the case model's label, e.g. "feedback.feedback"
    pk: int
    region_id: str | None
    level: str


def escalate(model: type[models.Model], *, region_path: str, permission: str,
             now: datetime.datetime) -> list[Step]:
    """Move each unanswered case of `model` (with CLOCK and EscalationFields) up to the rung
    its clock has reached, telling each rung's staff who hold `permission` (the one that
    lets them answer such a case). Returns the steps taken."""
    clock = model.CLOCK
    first = datetime.timedelta(hours=settings.CASE_ESCALATION_HOURS[0])
    candidates = model.objects.filter(
        **{f"{clock.due}__lte": now - first, f"{clock.replied}__isnull": True}
    ).exclude(escalation=Escalation.NATIONAL).order_by(clock.due, "pk")
    steps = []
    for pk, region_id in candidates.values_list("pk", region_path):
        steps += _climb(model, pk, region_id, permission=permission, now=now)
    return steps


@transaction.atomic
def _climb(model, pk, region_id, *, permission, now) -> list[Step]:
    case = model.objects.select_for_update().get(pk=pk)
    clock = model.CLOCK
    if getattr(case, clock.replied) is not None:
        return []  # answered since the list was read
    start = _ORDER.index(case.escalation)
    target = _ORDER.index(rung_at(getattr(case, clock.due), now))
    steps = []
    for level in _ORDER[start + 1 : target + 1]:
        entry = audit_record(target=case, action="case.escalate", from_state=case.escalation,
                             to_state=level, at=now)
        case.escalation = level
        steps.append(Step(model._meta.label_lower, case.pk, region_id, level))
        for recipient in level_staff(level=level, region_id=region_id, permission=permission):
            notice = EscalationNotice.objects.create(entry=entry, recipient=recipient,
                                                     created_at=now)
            notifications.escalation_notice_created(notice)
    if steps:
        case.escalated_at = now
        case.save(update_fields=["escalation", "escalated_at"])
    return steps


def level_staff(*, level: str, region_id: str | None, permission: str):
    """The active staff of one rung for a case in `region_id` who handle such cases
    (`permission`) and take escalation alerts: the city's team, the province's, or the
    national team. A case of the whole country has no city or province team."""
    scopes = StaffScope.objects.filter(level=level, escalation_alerts=True,
                                       user__is_active=True, user__is_staff=True)
    if level == Escalation.CITY:
        scopes = scopes.filter(regions=region_id) if region_id else scopes.none()
    elif level == Escalation.PROVINCE:
        scopes = scopes.filter(regions=province_of(region_id)) if region_id else scopes.none()
    app_label, codename = permission.split(".")
    holds = (Q(user__is_superuser=True)
             | Q(user__user_permissions__codename=codename,
                 user__user_permissions__content_type__app_label=app_label)
             | Q(user__groups__permissions__codename=codename,
                 user__groups__permissions__content_type__app_label=app_label))
    return scopes.filter(holds).select_related("user").distinct()
