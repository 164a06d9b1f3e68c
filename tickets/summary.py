"""Statistics over long ranges from the daily summary table.

A finished day's figures change rarely, so `refresh` (the `refresh_stats_summary` task)
stores each one's live computation (tickets.stats) in DailySummary. Reading a range
takes the stored days and computes the rest live: today, days not stored yet, and days
marked stale because a ticket change touched them since. The result is therefore always
what the live computation gives.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from . import stats
from .models import Call, DailySummary, Ticket

# How far back a refresh looks for days to store.
HISTORY_DAYS = 400


def _runs(days: list[datetime.date]):
    """Consecutive days as (first, last) pairs."""
    run = []
    for day in days:
        if run and day != run[-1] + datetime.timedelta(days=1):
            yield run[0], run[-1]
            run = []
        run.append(day)
    if run:
        yield run[0], run[-1]


def _span(first, last):
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def _stored(first, last) -> dict:
    today = timezone.localdate()
    rows = DailySummary.objects.filter(day__gte=first, day__lte=last, day__lt=today, stale=False)
    return {row.day: row for row in rows}


def _row(figures: dict) -> dict:
    return {**figures, "date": parse_date(figures["date"])}


def daily(first: datetime.date, last: datetime.date) -> list[dict]:
    stored = _stored(first, last)
    missing = [day for day in _span(first, last) if day not in stored]
    live = {row["date"]: row for a, b in _runs(missing) for row in stats.daily(a, b)}
    return [live[day] if day in live else _row(stored[day].figures) for day in _span(first, last)]


def per_person(first: datetime.date, last: datetime.date) -> dict:
    stored = _stored(first, last)
    missing = [day for day in _span(first, last) if day not in stored]
    total = {"agents": {}, "officers": {}}
    for row in stored.values():
        stats.add_person_sums(total, row.people)
    for a, b in _runs(missing):
        stats.add_person_sums(total, stats.person_sums(a, b))
    return stats.people_table(total)


def by_hour(first: datetime.date, last: datetime.date) -> list[dict]:
    stored = _stored(first, last)
    missing = [day for day in _span(first, last) if day not in stored]
    counts = [0] * 24
    for row in stored.values():
        counts = [a + b for a, b in zip(counts, row.hours, strict=True)]
    for a, b in _runs(missing):
        counts = [a + b["calls"] for a, b in zip(counts, stats.by_hour(a, b), strict=True)]
    return [{"hour": hour, "calls": calls} for hour, calls in enumerate(counts)]


def _json(row: dict) -> dict:
    return {**row, "date": row["date"].isoformat()}


def store(first: datetime.date, last: datetime.date) -> int:
    """Compute and store the days from `first` to `last` (finished days only)."""
    last = min(last, timezone.localdate() - datetime.timedelta(days=1))
    if last < first:
        return 0
    started = timezone.now()
    rows = stats.daily(first, last)
    people = stats.person_sums_by_day(first, last)
    hours = stats.hours_by_day(first, last)
    with transaction.atomic():
        # Days a ticket change touched since we started keep their stale mark: this
        # computation may predate the change. Locking the range's rows makes changes in
        # flight wait for us, and later ones mark the day again after we are done.
        touched = {
            row.day
            for row in DailySummary.objects.select_for_update().filter(
                day__gte=first, day__lte=last
            )
            if row.stale and row.computed_at >= started
        }
        empty = {"agents": {}, "officers": {}}
        for row in rows:
            day = row["date"]
            if day in touched:
                continue
            DailySummary.objects.update_or_create(
                day=day,
                defaults={
                    "figures": _json(row),
                    "people": people.get(day, empty),
                    "hours": hours.get(day, [0] * 24),
                    "stale": False,
                    "computed_at": started,
                },
            )
    return len(rows) - len(touched)


def refresh() -> int:
    """Store every finished day that is missing or stale; returns how many were stored."""
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    if not (Ticket.objects.exists() or Call.objects.exists()):
        return 0
    # From the history horizon, even before the first ticket: empty days are stored
    # too, so that no range has to compute them live.
    first = today - datetime.timedelta(days=HISTORY_DAYS)
    have = set(
        DailySummary.objects.filter(day__gte=first, day__lte=yesterday, stale=False).values_list(
            "day", flat=True
        )
    )
    todo = [day for day in _span(first, yesterday) if day not in have]
    return sum(store(a, b) for a, b in _runs(todo))


def mark_stale(ticket: Ticket, *, previous_resolved_at=None) -> None:
    """A ticket changed: the finished days whose figures may have moved are computed
    live until the next refresh. Its creation day (first-contact figures) and its SLA
    deadlines' days always; when a resolution is undone (reopen), every day since."""
    today = timezone.localdate()
    days = {
        timezone.localdate(at)
        for at in (ticket.created_at, ticket.claim_due_at, ticket.resolve_due_at)
        if at is not None
    }
    if previous_resolved_at is not None and ticket.resolved_at is None:
        days.update(_span(timezone.localdate(previous_resolved_at), today))
    mark_days_stale(days)


def mark_days_stale(days) -> None:
    """Finished days among `days` are computed live until the next refresh."""
    today = timezone.localdate()
    days = sorted(day for day in days if day < today)
    if not days:
        return
    now = timezone.now()
    # Upsert: a day not stored yet is marked too, so that a refresh running now
    # does not store figures computed before this change.
    DailySummary.objects.bulk_create(
        [DailySummary(day=day, figures={}, people={}, hours=[], stale=True, computed_at=now)
         for day in days],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=["stale", "computed_at"],
    )  # fmt: skip
