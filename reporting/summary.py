"""Statistics over long ranges from the daily summary table.

A finished day's figures change rarely, so `refresh` (the `refresh_stats_summary` task)
stores each one's live computation (reporting.stats) in DailySummary. Reading a range
takes the stored days and computes the rest live: today, days not stored yet, and days
marked stale because a ticket change touched them since. The result is therefore always
what the live computation gives.
"""

import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from tickets.models import Call, Ticket

from . import stats
from .models import DailySummary

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


def _split(first, last) -> tuple[dict, list]:
    """The range's stored rows by day, and the runs of days to compute live."""
    today = timezone.localdate()
    rows = DailySummary.objects.filter(day__gte=first, day__lte=last, day__lt=today, stale=False)
    stored = {row.day: row for row in rows}
    return stored, list(_runs([day for day in _span(first, last) if day not in stored]))


def _row(figures: dict) -> dict:
    return {**figures, "date": parse_date(figures["date"])}


def daily(first: datetime.date, last: datetime.date) -> list[dict]:
    stored, live_runs = _split(first, last)
    live = {row["date"]: row for a, b in live_runs for row in stats.daily(a, b)}
    return [live[day] if day in live else _row(stored[day].figures) for day in _span(first, last)]


def per_person(first: datetime.date, last: datetime.date) -> dict:
    stored, live_runs = _split(first, last)
    total = {"agents": {}, "officers": {}, "presence": {}}
    for row in stored.values():
        stats.add_person_sums(total, row.people)
    for a, b in live_runs:
        stats.add_person_sums(total, stats.person_sums(a, b))
    return stats.people_table(total)


def by_hour(first: datetime.date, last: datetime.date) -> list[dict]:
    stored, live_runs = _split(first, last)
    days = [row.hours for row in stored.values()]
    for a, b in live_runs:
        days.extend(stats.hours_by_day(a, b).values())
    return stats.hour_table(days)


def _json(row: dict) -> dict:
    return {**row, "date": row["date"].isoformat()}


def store(first: datetime.date, last: datetime.date) -> int:
    """Compute and store the days from `first` to `last` (finished days only).

    Versions are read before computing; a day is written only if its version is still
    the same (or, for a day without a row, if nobody inserted one meanwhile). A change
    that marked the day since, committed or still in flight, therefore keeps it stale:
    PostgreSQL makes the conditional UPDATE wait for the change's row lock and then
    re-checks the version."""
    last = min(last, timezone.localdate() - datetime.timedelta(days=1))
    if last < first:
        return 0
    seen = dict(
        DailySummary.objects.filter(day__gte=first, day__lte=last).values_list("day", "version")
    )
    started = timezone.now()
    rows = stats.daily(first, last)
    people = stats.person_sums_by_day(first, last)
    hours = stats.hours_by_day(first, last)
    empty = {"agents": {}, "officers": {}, "presence": {}}
    stored, new = 0, []
    with transaction.atomic():
        for row in rows:
            day = row["date"]
            fields = {
                "figures": _json(row),
                "people": people.get(day, empty),
                "hours": hours.get(day, [0] * 24),
                "stale": False,
                "computed_at": started,
            }
            if day in seen:
                stored += DailySummary.objects.filter(day=day, version=seen[day]).update(**fields)
            else:
                new.append(DailySummary(day=day, **fields))
        # A day marked (inserted) meanwhile wins: its row stays stale.
        created = DailySummary.objects.bulk_create(new, ignore_conflicts=True)
    return stored + len(created)


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


def mark_stale(*, ticket: Ticket, before: dict) -> None:
    """A ticket changed (`before`: its step_times() before the change). Every finished
    day one of its figures counted on, before or after, is computed live until the
    next refresh; when a resolution is undone (reopen), so is every day since, for the
    backlog and its oldest ticket."""
    today = timezone.localdate()
    moments = [*before.values(), *ticket.step_times().values()]
    days = {timezone.localdate(at) for at in moments if at is not None}
    if before["resolved_at"] is not None and ticket.resolved_at is None:
        days.update(_span(timezone.localdate(before["resolved_at"]), today))
    mark_days_stale(days=days)


def mark_days_stale(*, days) -> None:
    """Finished days among `days` are computed live until the next refresh."""
    today = timezone.localdate()
    days = sorted(day for day in days if day < today)
    if not days:
        return
    # Upsert raising the version: a day not stored yet gets a stale row too, so that a
    # refresh computing now cannot store figures from before this change.
    table = connection.ops.quote_name(DailySummary._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(days))
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    params = [
        p for day in days for p in (ops.adapt_datefield_value(day), "{}", "{}", "[]", True, 1, now)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, figures, people, hours, stale, version, computed_at) "
            f"VALUES {values} ON CONFLICT (day) DO UPDATE SET stale = TRUE, "
            f"version = {table}.version + 1",
            params,
        )
