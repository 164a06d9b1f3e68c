"""The hotline's business calendar: shift hours on working days in Vietnam."""

import bisect
import datetime
from functools import cache

import holidays
from django.conf import settings
from django.utils import timezone


def _clock(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


@cache
def _vietnamese_holidays(year: int):
    return holidays.country_holidays("VN", years=year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _vietnamese_holidays(day.year)


def shift_is_open(at: datetime.datetime | None = None) -> bool:
    """Whether the hotline is staffed at this instant (local time)."""
    local = timezone.localtime(at)
    start, end = _clock(settings.SHIFT_START), _clock(settings.SHIFT_END)
    return is_working_day(local.date()) and start <= local.time() < end


@cache
def _holiday_ordinals(year: int) -> tuple[int, ...]:
    """Ordinals of the public holidays of `year` that fall on weekdays, sorted."""
    return tuple(sorted(d.toordinal() for d in _vietnamese_holidays(year) if d.weekday() < 5))


def _weekdays_before(ordinal: int) -> int:
    """Weekdays among the days with ordinal < `ordinal` (day 1 is a Monday)."""
    weeks, rest = divmod(ordinal - 1, 7)
    return weeks * 5 + min(rest, 5)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    if end <= start:
        return 0
    low, high = start.toordinal() + 1, end.toordinal() + 1
    days = _weekdays_before(high) - _weekdays_before(low)
    for year in range(start.year, end.year + 1):
        ordinals = _holiday_ordinals(year)
        days -= bisect.bisect_left(ordinals, high) - bisect.bisect_left(ordinals, low)
    return days


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start`."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        days -= is_working_day(day)
    return day
