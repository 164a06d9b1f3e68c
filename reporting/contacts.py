"""Figures of repeat callers and callbacks per day (SPEC §8.1, §8.2), merged into the
daily rows and the per-agent sums of reporting.stats."""

import datetime
import statistics
from collections import defaultdict

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from callbacks.models import Callback, CallbackAttempt
from tickets.models import Call

Status = Callback.Status


def _day(field):
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def _counts(queryset, field, **aggregates) -> dict:
    rows = queryset.annotate(day=_day(field)).values("day").annotate(**aggregates).order_by()
    return {row.pop("day"): row for row in rows}


def daily_contacts(start: datetime.datetime, end: datetime.datetime) -> dict:
    """{day: figures} for the days between `start` and `end`: follow-up calls on tickets
    created on an earlier day, callbacks created (their first missed call), reached and
    given up, and the median minutes from the first missed call to the first attempt
    (of the callbacks first tried that day)."""
    repeats = _counts(
        Call.objects.filter(follow_up=True, started_at__gte=start, started_at__lt=end)
        .annotate(opened=_day("ticket__created_at"))
        .filter(opened__lt=_day("started_at")),
        "started_at",
        n=Count("id"),
    )
    created = _counts(
        Callback.objects.filter(first_missed_at__gte=start, first_missed_at__lt=end),
        "first_missed_at",
        n=Count("id"),
    )
    closed = _counts(
        Callback.objects.filter(closed_at__gte=start, closed_at__lt=end),
        "closed_at",
        reached=Count("id", filter=Q(status=Status.REACHED)),
        given_up=Count("id", filter=Q(status=Status.GIVEN_UP)),
    )
    waits = defaultdict(list)
    tried = Callback.objects.filter(first_attempt_at__gte=start, first_attempt_at__lt=end)
    for row in tried.annotate(
        day=_day("first_attempt_at"), wait=F("first_attempt_at") - F("first_missed_at")
    ).values("day", "wait"):
        waits[row["day"]].append(row["wait"].total_seconds() / 60)
    days = set(repeats) | set(created) | set(closed) | set(waits)
    return {
        day: {
            "repeat_contacts": repeats.get(day, {}).get("n", 0),
            "callbacks_created": created.get(day, {}).get("n", 0),
            "callbacks_reached": closed.get(day, {}).get("reached", 0),
            "callbacks_given_up": closed.get(day, {}).get("given_up", 0),
            "callback_median_minutes_to_first_attempt": round(statistics.median(waits[day]))
            if waits.get(day)
            else None,
        }
        for day in days
    }


EMPTY = {
    "repeat_contacts": 0,
    "callbacks_created": 0,
    "callbacks_reached": 0,
    "callbacks_given_up": 0,
    "callback_median_minutes_to_first_attempt": None,
}


def callbacks_made(start: datetime.datetime, end: datetime.datetime):
    """(day, username, attempts) for each agent who rang callers back."""
    rows = (
        CallbackAttempt.objects.filter(at__gte=start, at__lt=end)
        .annotate(day=_day("at"))
        .values("day", "agent__username")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        yield row["day"], row["agent__username"], row["n"]
