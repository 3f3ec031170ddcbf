"""The first-reply clock: when a case is due, and how far it is from that now.

Everything takes `now` explicitly so that pages, the command and tests agree on one instant.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


def reply_due_at(opened_at: datetime.datetime) -> datetime.datetime:
    return opened_at + datetime.timedelta(hours=settings.FIRST_REPLY_HOURS)


@dataclass(frozen=True)
class CaseClock:
    NONE = "none"  # not a case
    DUE = "due"  # open, deadline ahead: `delta` is the time left
    OVERDUE = "overdue"  # open, deadline passed: `delta` is how long ago
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


def case_clock(feedback, now: datetime.datetime) -> CaseClock:
    due = feedback.reply_due_at
    if due is None:
        return CaseClock(CaseClock.NONE)
    replied = feedback.first_replied_at
    if replied is not None:
        if replied <= due:
            return CaseClock(CaseClock.ON_TIME, replied - feedback.created_at)
        return CaseClock(CaseClock.LATE, replied - due)
    if now < due:
        return CaseClock(CaseClock.DUE, due - now)
    return CaseClock(CaseClock.OVERDUE, now - due)


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
