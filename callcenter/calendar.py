"""The hotline's business calendar: shift hours on working days in Vietnam.

Working days are Monday to Friday minus Vietnamese public holidays (the `holidays`
package, lunar ones included), adjusted by the CalendarDay rows supervisors enter:
extra closed days and weekend days worked in a swap.
"""

import bisect
import datetime
import time
from functools import cache

import holidays
from django.conf import settings
from django.utils import timezone

from . import cache as shared_cache


def _clock(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


@cache
def _vietnamese_holidays(year: int):
    return holidays.country_holidays("VN", years=year)


EXCEPTIONS_KEY = "callcenter:calendar-exceptions"
LOCAL_SECONDS = 10
_local: dict = {}


def exceptions() -> dict[datetime.date, str]:
    """CalendarDay rows as {date: kind}: kept in the shared cache until one changes, and
    for a few seconds in the process, since calendar arithmetic asks once per day."""
    now = time.monotonic()
    if _local.get("until", 0) > now:
        return _local["days"]
    days = shared_cache.get(EXCEPTIONS_KEY)
    if days is None:
        from .models import CalendarDay

        days = dict(CalendarDay.objects.values_list("date", "kind"))
        shared_cache.set(EXCEPTIONS_KEY, days, 3600)
    _local.update(days=days, until=now + LOCAL_SECONDS)
    return days


def forget_exceptions(**kwargs) -> None:
    _local.clear()
    shared_cache.delete(EXCEPTIONS_KEY)


def _by_rule(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _vietnamese_holidays(day.year)


def is_working_day(day: datetime.date) -> bool:
    kind = exceptions().get(day)
    if kind is not None:
        return kind == "working"
    return _by_rule(day)


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
    for day, kind in exceptions().items():
        if start < day <= end:
            days += (kind == "working") - _by_rule(day)
    return days


def shift_hours() -> tuple[datetime.time, datetime.time]:
    """When the shift opens and closes (local time)."""
    return _clock(settings.SHIFT_START), _clock(settings.SHIFT_END)


def shift_seconds() -> int:
    """Length of one working day's shift, in seconds (10 hours by default)."""
    opens, closes = _clock(settings.SHIFT_START), _clock(settings.SHIFT_END)
    return (closes.hour * 60 + closes.minute - opens.hour * 60 - opens.minute) * 60


def business_seconds_between(start: datetime.datetime, end: datetime.datetime) -> int:
    """Seconds of shift time (working days, 07:30–17:30 local) between two instants."""
    if end <= start:
        return 0
    start, end = timezone.localtime(start), timezone.localtime(end)
    opens, closes = _clock(settings.SHIFT_START), _clock(settings.SHIFT_END)
    total = 0
    day = start.date()
    while day <= end.date():
        if is_working_day(day):
            shift_start = timezone.make_aware(datetime.datetime.combine(day, opens))
            shift_end = timezone.make_aware(datetime.datetime.combine(day, closes))
            overlap = min(end, shift_end) - max(start, shift_start)
            total += max(0, int(overlap.total_seconds()))
        day += datetime.timedelta(days=1)
    return total


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start`."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        days -= is_working_day(day)
    return day


def add_business_seconds(start: datetime.datetime, seconds: int) -> datetime.datetime:
    """The instant when `seconds` of shift time have passed since `start` (the inverse of
    business_seconds_between). A deadline reached exactly at closing time stays there."""
    start = timezone.localtime(start)
    opens, closes = _clock(settings.SHIFT_START), _clock(settings.SHIFT_END)
    day, left = start.date(), seconds
    while True:
        if is_working_day(day):
            shift_start = timezone.make_aware(datetime.datetime.combine(day, opens))
            shift_end = timezone.make_aware(datetime.datetime.combine(day, closes))
            begin = max(start, shift_start)
            if begin < shift_end or (left == 0 and begin == shift_end):
                available = int((shift_end - begin).total_seconds())
                if left <= available:
                    return begin + datetime.timedelta(seconds=left)
                left -= available
        day += datetime.timedelta(days=1)
