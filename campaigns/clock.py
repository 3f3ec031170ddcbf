"""The first-reply clock, "48小时首次回复客户投诉": one rule for every kind of case.

A case (a complaint or low score in feedback, a GM-reception issue) is due
FIRST_REPLY_HOURS after it was opened. It is overdue from the due instant on (`due <= now`)
until its first reply. Model methods, admin filters, selectors, the dashboard, exports and
emails all ask this module, so they never disagree at the boundary.

A model takes part by naming its fields in `CLOCK` (opened, due, replied). Everything takes
`now` explicitly so that pages, commands and tests agree on one instant.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _


class ClockFields(NamedTuple):
    opened: str  # attribute: when the case was opened
    due: str  # field: the first-reply deadline
    replied: str  # field: the first reply, or None


def reply_due_at(opened_at: datetime.datetime) -> datetime.datetime:
    return opened_at + datetime.timedelta(hours=settings.FIRST_REPLY_HOURS)


@dataclass(frozen=True)
class CaseClock:
    NONE = "none"  # not a case
    DUE = "due"  # open, deadline ahead: `delta` is the time left
    OVERDUE = "overdue"  # open, deadline reached or passed: `delta` is how long ago
    ON_TIME = "on_time"  # first reply within the deadline: `delta` is the time it took
    LATE = "late"  # first reply after the deadline: `delta` is how late

    state: str
    delta: datetime.timedelta | None = None

    @property
    def is_overdue(self) -> bool:
        return self.state == self.OVERDUE

    @property
    def label(self) -> str:
        if self.state == self.DUE:
            return _("剩余 %(time)s") % {"time": format_duration(self.delta)}
        if self.state == self.OVERDUE:
            return _("已超时 %(time)s") % {"time": format_duration(self.delta)}
        if self.state == self.ON_TIME:
            return _("%(time)s 内首次回复") % {"time": format_duration(self.delta)}
        if self.state == self.LATE:
            return _("超时 %(time)s 后首次回复") % {"time": format_duration(self.delta)}
        return ""


def clock_state(*, due: datetime.datetime | None, replied: datetime.datetime | None,
                now: datetime.datetime) -> str:
    """The rule itself, on bare values (exports read tuples, not models)."""
    if due is None:
        return CaseClock.NONE
    if replied is not None:
        return CaseClock.ON_TIME if replied <= due else CaseClock.LATE
    return CaseClock.DUE if now < due else CaseClock.OVERDUE


def case_clock(case, now: datetime.datetime) -> CaseClock:
    """Where `case` (a model instance with `CLOCK`) stands on its clock at `now`."""
    fields = case.CLOCK
    due, replied = getattr(case, fields.due), getattr(case, fields.replied)
    state = clock_state(due=due, replied=replied, now=now)
    deltas = {
        CaseClock.NONE: lambda: None,
        CaseClock.ON_TIME: lambda: replied - getattr(case, fields.opened),
        CaseClock.LATE: lambda: replied - due,
        CaseClock.DUE: lambda: due - now,
        CaseClock.OVERDUE: lambda: now - due,
    }
    return CaseClock(state, deltas[state]())


def overdue_q(model, now: datetime.datetime, *, prefix: str = "") -> Q:
    """The rows of `model` (or, with `prefix`, of a relation to it) overdue at `now`."""
    fields = model.CLOCK
    return Q(**{f"{prefix}{fields.replied}__isnull": True, f"{prefix}{fields.due}__lte": now})


def format_duration(delta: datetime.timedelta) -> str:
    """'2天3小时', '5小时12分钟', '8分钟' (whole minutes, rounded down, at least '0分钟')."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)d天%(hours)d小时") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d小时%(minutes)d分钟") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d分钟") % {"minutes": minutes}
