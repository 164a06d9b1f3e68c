"""Time in each status per agent and day (SPEC §8.3), from the status intervals: an
interval spanning midnight counts on each day for its part of it."""

import datetime
from collections import defaultdict

from django.utils import timezone

from presence.models import BreakReason, Status, StatusInterval

# The slots of an agent's presence sums, in seconds.
SLOTS = ["ready", "on_call", "wrap_up", *[f"break_{r}" for r in BreakReason.values]]


def _slot(status: str, reason: str) -> str:
    return f"break_{reason or 'other'}" if status == Status.BREAK else status


def seconds_by_day(start: datetime.datetime, end: datetime.datetime) -> dict:
    """{day: {username: [seconds per SLOTS]}} for the intervals between start and end."""
    days = defaultdict(dict)
    now = timezone.now()
    intervals = (
        StatusInterval.objects.filter(started_at__lt=end)
        .exclude(ended_at__lte=start)
        .exclude(status=Status.OFFLINE)
        .values_list("agent__username", "status", "reason", "started_at", "ended_at")
    )
    for username, status, reason, began, ended in intervals:
        began, ended = max(began, start), min(ended or now, end)
        index = SLOTS.index(_slot(status, reason))
        while began < ended:
            day = timezone.localdate(began)
            midnight = timezone.make_aware(
                datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
            )
            part = min(ended, midnight)
            sums = days[day].setdefault(username, [0] * len(SLOTS))
            sums[index] += int((part - began).total_seconds())
            began = part
    return dict(days)


def figures(sums: list[int]) -> dict:
    """An agent's row of the per-agent table: seconds in each status and occupancy (the
    share of staffed time spent on calls and their wrap-up)."""
    seconds = dict(zip(SLOTS, sums, strict=True))
    busy = seconds["on_call"] + seconds["wrap_up"]
    staffed = busy + seconds["ready"]
    return {
        "ready_seconds": seconds["ready"],
        "on_call_seconds": seconds["on_call"],
        "wrap_up_seconds": seconds["wrap_up"],
        "break_seconds": {r: seconds[f"break_{r}"] for r in BreakReason.values},
        "occupancy_percent": round(100 * busy / staffed, 1) if staffed else None,
    }
