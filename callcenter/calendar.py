"""The hotline's business calendar: shift hours on working days in Vietnam."""

import datetime
from functools import cache

import holidays
from django.conf import settings
from django.utils import timezone


def _clock(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


@cache
def _vietnam_holidays(year: int):
    return holidays.country_holidays("VN", years=year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _vietnam_holidays(day.year)


def shift_is_open(at: datetime.datetime | None = None) -> bool:
    """Whether the hotline is staffed at this instant (local time)."""
    local = timezone.localtime(at)
    start, end = _clock(settings.SHIFT_START), _clock(settings.SHIFT_END)
    return is_working_day(local.date()) and start <= local.time() < end
