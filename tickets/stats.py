"""Call-centre figures per day and per person, computed by the database.

Days are local (Asia/Ho_Chi_Minh) calendar days. The only Python loops are over days
and people, never over tickets or calls.
"""

import datetime

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Min, Q
from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone

from callcenter.calendar import is_working_day, shift_hours

from .models import Call, Category, Channel, Status, Ticket


def _bounds(first: datetime.date, last: datetime.date):
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(last, datetime.time.min))
    return start, end + datetime.timedelta(days=1)


def _per_day(queryset, field, **aggregates) -> dict:
    rows = (
        queryset.annotate(day=TruncDate(field, tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(**aggregates)
        .order_by()
    )
    return {row.pop("day"): row for row in rows}


def daily(first: datetime.date, last: datetime.date) -> list[dict]:
    """One row per day from `first` to `last` inclusive."""
    start, end = _bounds(first, last)
    opens, closes = shift_hours()
    handle = ExpressionWrapper(F("ended_at") - F("answered_at"), output_field=DurationField())
    calls = _per_day(
        Call.objects.filter(started_at__gte=start, started_at__lt=end),
        "started_at",
        calls=Count("id"),
        in_shift_hours=Count(
            "id", filter=Q(started_at__time__gte=opens, started_at__time__lt=closes)
        ),
        average_handle=Avg(handle, filter=Q(ended_at__isnull=False, answered_at__isnull=False)),
    )
    created = _per_day(
        Ticket.objects.filter(created_at__gte=start, created_at__lt=end),
        "created_at",
        tickets=Count("id"),
        first_contact_resolved=Count(
            "id", filter=Q(status=Status.RESOLVED, escalated_at__isnull=True)
        ),
        **{f"category_{c}": Count("id", filter=Q(category=c)) for c in Category.values},
        **{f"channel_{c}": Count("id", filter=Q(channel=c)) for c in Channel.values},
    )
    escalated = _per_day(
        Ticket.objects.filter(escalated_at__gte=start, escalated_at__lt=end),
        "escalated_at",
        n=Count("id"),
    )
    resolved = _per_day(
        Ticket.objects.filter(resolved_at__gte=start, resolved_at__lt=end),
        "resolved_at",
        n=Count("id"),
    )
    backlog = Ticket.objects.filter(
        Q(resolved_at__isnull=True) | Q(resolved_at__gte=start), created_at__lt=start
    ).count()
    rows = []
    day = first
    while day <= last:
        c, t = calls.get(day, {}), created.get(day, {})
        backlog += t.get("tickets", 0) - resolved.get(day, {}).get("n", 0)
        in_shift = c.get("in_shift_hours", 0) if is_working_day(day) else 0
        average = c.get("average_handle")
        rows.append(
            {
                "date": day,
                "calls": c.get("calls", 0),
                "calls_in_shift": in_shift,
                "calls_outside_shift": c.get("calls", 0) - in_shift,
                "tickets": t.get("tickets", 0),
                "tickets_by_category": {x: t.get(f"category_{x}", 0) for x in Category.values},
                "tickets_by_channel": {x: t.get(f"channel_{x}", 0) for x in Channel.values},
                "first_contact_resolved": t.get("first_contact_resolved", 0),
                "escalated": escalated.get(day, {}).get("n", 0),
                "resolved": resolved.get(day, {}).get("n", 0),
                "average_handle_seconds": round(average.total_seconds()) if average else None,
                "open_backlog_end_of_day": backlog,
            }
        )
        day += datetime.timedelta(days=1)
    return rows


def per_person(first: datetime.date, last: datetime.date) -> dict:
    """Agents: calls, tickets logged, answered at first contact, average handle time.
    Officers: tickets claimed and resolved in the range."""
    start, end = _bounds(first, last)
    handle = ExpressionWrapper(F("ended_at") - F("answered_at"), output_field=DurationField())
    agents = {
        row["agent__username"]: {
            "calls": row["calls"],
            "average_handle_seconds": round(row["average"].total_seconds())
            if row["average"]
            else None,
        }
        for row in Call.objects.filter(
            started_at__gte=start, started_at__lt=end, agent__isnull=False
        )
        .values("agent__username")
        .annotate(calls=Count("id"), average=Avg(handle))
        .order_by()
    }
    for row in (
        Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("created_by__username")
        .annotate(
            tickets=Count("id"),
            first_contact_resolved=Count(
                "id", filter=Q(status=Status.RESOLVED, escalated_at__isnull=True)
            ),
        )
        .order_by()
    ):
        entry = agents.setdefault(
            row["created_by__username"], {"calls": 0, "average_handle_seconds": None}
        )
        entry.update(tickets=row["tickets"], first_contact_resolved=row["first_contact_resolved"])
    officers = {}
    for row in (
        Ticket.objects.filter(assignee__isnull=False)
        .filter(
            Q(assigned_at__gte=start, assigned_at__lt=end)
            | Q(resolved_at__gte=start, resolved_at__lt=end)
        )
        .values("assignee__username")
        .annotate(
            claimed=Count("id", filter=Q(assigned_at__gte=start, assigned_at__lt=end)),
            resolved=Count("id", filter=Q(resolved_at__gte=start, resolved_at__lt=end)),
        )
        .order_by()
    ):
        officers[row["assignee__username"]] = {
            "claimed": row["claimed"],
            "resolved": row["resolved"],
        }
    return {
        "agents": [{"username": k, "tickets": 0, "first_contact_resolved": 0, **v}
                   for k, v in sorted(agents.items())],
        "officers": [{"username": k, **v} for k, v in sorted(officers.items())],
    }  # fmt: skip


def by_hour(first: datetime.date, last: datetime.date) -> list[dict]:
    """Calls per hour of the day (local) over the range."""
    start, end = _bounds(first, last)
    rows = (
        Call.objects.filter(started_at__gte=start, started_at__lt=end)
        .annotate(hour=ExtractHour("started_at", tzinfo=timezone.get_current_timezone()))
        .values("hour")
        .annotate(calls=Count("id"))
        .order_by()
    )
    counts = {row["hour"]: row["calls"] for row in rows}
    return [{"hour": hour, "calls": counts.get(hour, 0)} for hour in range(24)]


def today_summary() -> dict:
    """Today so far, for the dashboard's live strip: the day's row, the first-contact
    resolution rate, and the queue right now."""
    today = timezone.localdate()
    (row,) = daily(today, today)
    waiting = Ticket.objects.filter(status=Status.ESCALATED).aggregate(
        count=Count("id"), oldest=Min("escalated_at")
    )
    oldest = waiting["oldest"]
    return {
        **row,
        "first_contact_rate": round(100 * row["first_contact_resolved"] / row["tickets"])
        if row["tickets"]
        else None,
        "queue_length": waiting["count"],
        "oldest_waiting_hours": round((timezone.now() - oldest).total_seconds() / 3600, 1)
        if oldest
        else None,
    }
