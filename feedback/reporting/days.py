"""Local days (Asia/Shanghai, settings.TIME_ZONE): the one home of the reporting's date rules.

The dashboard, the rollups and the exports count "a day" as a local calendar day, whatever
the database's zone: these helpers turn instants into local days and back.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, local time, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=local_zone())


def local_day(value: datetime.datetime) -> datetime.date:
    """The local calendar day of an aware instant."""
    return timezone.localtime(value, local_zone()).date()


def today(now: datetime.datetime | None = None) -> datetime.date:
    return local_day(now or timezone.now())


def as_local_date(value) -> datetime.date:
    """A day from the database (`TruncDate`, `TruncWeek`): a date, or a datetime that some
    backends return; an aware datetime is turned into its local day first."""
    if isinstance(value, datetime.datetime):
        return local_day(value) if value.tzinfo else value.date()
    return value


def local_wall_time(value: datetime.datetime | None) -> datetime.datetime | None:
    """An aware time as a naive local wall-clock time (what a spreadsheet shows)."""
    if value is None:
        return None
    return timezone.localtime(value, local_zone()).replace(tzinfo=None)
