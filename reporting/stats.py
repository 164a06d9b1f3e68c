"""Call-centre figures per day and per person, computed by the database.

Days are local (Asia/Ho_Chi_Minh) calendar days. The only Python loops are over days
and people, never over tickets or calls.
"""

import datetime
from collections import defaultdict

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Min, Q, Sum
from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone

from callcenter.calendar import is_working_day, shift_hours
from callcenter.people import natural_key
from reprints.models import ReprintItem
from tickets.models import Call, Category, Channel, Status, Ticket

from . import contacts, occupancy
from .public import EMPTY_PUBLIC, daily_public


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


# Service level: the share of PBX calls answered within this wait.
SERVICE_LEVEL_TARGET = datetime.timedelta(seconds=20)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _pbx_figures(c: dict) -> dict:
    answered, abandoned = c.get("pbx_answered", 0), c.get("pbx_abandoned", 0)
    wait = c.get("speed_of_answer")
    return {
        "pbx_calls_answered": answered,
        "pbx_calls_abandoned": abandoned,
        "abandonment_rate_percent": _percent(abandoned, answered + abandoned),
        "average_speed_of_answer_seconds": round(wait.total_seconds()) if wait else None,
        "service_level_percent": _percent(c.get("pbx_within_target", 0), answered + abandoned),
    }


def _rounded(value) -> int | None:
    return None if value is None else round(value)


def _oldest_open_hours(day: datetime.date, now: datetime.datetime) -> float | None:
    """Age in hours of the oldest ticket still unresolved at the end of `day` (or now,
    for today): the oldest of those unresolved to this day and of those resolved later."""
    cut = min(_bounds(day, day)[1], now)
    older = Ticket.objects.filter(created_at__lt=cut)
    candidates = [
        older.filter(resolved_at__isnull=True).aggregate(at=Min("created_at"))["at"],
        older.filter(resolved_at__gte=cut, resolved_at__gt=F("created_at")).aggregate(
            at=Min("created_at")
        )["at"],
    ]
    oldest = min((at for at in candidates if at), default=None)
    return round((cut - oldest).total_seconds() / 3600, 1) if oldest else None


def daily(first: datetime.date, last: datetime.date) -> list[dict]:
    """One row per day from `first` to `last` inclusive."""
    start, end = _bounds(first, last)
    opens, closes = shift_hours()
    handle = ExpressionWrapper(F("ended_at") - F("answered_at"), output_field=DurationField())
    wait = ExpressionWrapper(F("answered_at") - F("started_at"), output_field=DurationField())
    pbx, target = Q(pbx_call_id__isnull=False), SERVICE_LEVEL_TARGET
    calls = _per_day(
        Call.objects.filter(started_at__gte=start, started_at__lt=end),
        "started_at",
        calls=Count("id"),
        in_shift_hours=Count(
            "id", filter=Q(started_at__time__gte=opens, started_at__time__lt=closes)
        ),
        average_handle=Avg(handle, filter=Q(ended_at__isnull=False, answered_at__isnull=False)),
        # Calls the PBX reported: answered, abandoned (hung up before an answer), and
        # how long callers waited for an answer.
        pbx_answered=Count("id", filter=Q(pbx, answered_at__isnull=False)),
        pbx_abandoned=Count("id", filter=Q(pbx, answered_at__isnull=True, ended_at__isnull=False)),
        pbx_within_target=Count("id", filter=Q(pbx, answered_at__lte=F("started_at") + target)),
        speed_of_answer=Avg(wait, filter=Q(pbx, answered_at__isnull=False)),
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
        to_resolve=Avg("resolve_business_seconds"),
    )
    claimed = _per_day(
        Ticket.objects.filter(assigned_at__gte=start, assigned_at__lt=end),
        "assigned_at",
        to_claim=Avg("claim_business_seconds"),
    )
    # A clock breaches when its deadline passes with the ticket still waiting for it.
    now = timezone.now()
    claim_breaches = _per_day(
        Ticket.objects.filter(claim_due_at__gte=start, claim_due_at__lt=min(end, now)).filter(
            Q(assigned_at__isnull=True) | Q(assigned_at__gt=F("claim_due_at"))
        ),
        "claim_due_at",
        n=Count("id"),
    )
    resolve_breaches = _per_day(
        Ticket.objects.filter(resolve_due_at__gte=start, resolve_due_at__lt=min(end, now)).filter(
            Q(resolved_at__isnull=True) | Q(resolved_at__gt=F("resolve_due_at"))
        ),
        "resolve_due_at",
        n=Count("id"),
    )
    reprints = _per_day(
        ReprintItem.objects.filter(requested_at__gte=start, requested_at__lt=end),
        "requested_at",
        n=Count("id"),
    )
    printed = _per_day(
        ReprintItem.objects.filter(
            marked_at__gte=start, marked_at__lt=end, outcome=ReprintItem.Outcome.PRINTED
        ),
        "marked_at",
        n=Count("id"),
    )
    repeats_and_callbacks = contacts.daily_contacts(start, end)
    self_service = daily_public(start, end)
    # Open when the range starts: unresolved to this day, or resolved since (two
    # counts, each on its own index).
    before = Ticket.objects.filter(created_at__lt=start)
    backlog = (
        before.filter(resolved_at__isnull=True).count()
        + before.filter(resolved_at__gte=start, resolved_at__gt=F("created_at")).count()
    )
    rows = []
    day = first
    while day <= last:
        c, t = calls.get(day, {}), created.get(day, {})
        backlog += t.get("tickets", 0) - resolved.get(day, {}).get("n", 0)
        in_shift = c.get("in_shift_hours", 0) if is_working_day(day) else 0
        average = c.get("average_handle")
        breaches = [b.get(day, {}).get("n", 0) for b in (claim_breaches, resolve_breaches)]
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
                "average_claim_business_seconds": _rounded(claimed.get(day, {}).get("to_claim")),
                "average_resolve_business_seconds": _rounded(
                    resolved.get(day, {}).get("to_resolve")
                ),
                **_pbx_figures(c),
                "open_backlog_end_of_day": backlog,
                "oldest_open_age_hours": _oldest_open_hours(day, now),
                "sla_breaches": sum(breaches),
                "sla_breaches_claim": breaches[0],
                "sla_breaches_resolve": breaches[1],
                "reprints_requested": reprints.get(day, {}).get("n", 0),
                "reprints_printed": printed.get(day, {}).get("n", 0),
                **repeats_and_callbacks.get(day, contacts.EMPTY),
                **self_service.get(day, EMPTY_PUBLIC),
            }
        )
        day += datetime.timedelta(days=1)
    return rows


def person_sums_by_day(first: datetime.date, last: datetime.date) -> dict:
    """Additive figures per day and person, so that days can be summed:
    {day: {"agents": {username: [calls answered, handled calls, handle microseconds,
    tickets, answered at first contact, callbacks made]}, "officers": {username:
    [claimed, resolved]}}}."""
    start, end = _bounds(first, last)
    handle = ExpressionWrapper(F("ended_at") - F("answered_at"), output_field=DurationField())
    days = defaultdict(lambda: {"agents": {}, "officers": {}})

    def grouped(queryset, field, person, **aggregates):
        return _grouped(queryset, field, person, **aggregates)

    for day, username, row in grouped(
        Call.objects.filter(started_at__gte=start, started_at__lt=end, agent__isnull=False),
        "started_at", "agent__username",
        calls=Count("id", filter=Q(answered_at__isnull=False)),
        handled=Count(handle),
        total=Sum(handle),
    ):  # fmt: skip
        total = row["total"] // datetime.timedelta(microseconds=1) if row["total"] else 0
        days[day]["agents"][username] = [row["calls"], row["handled"], total, 0, 0, 0]
    for day, username, row in grouped(
        Ticket.objects.filter(created_at__gte=start, created_at__lt=end),
        "created_at", "created_by__username",
        tickets=Count("id"),
        first_contact=Count("id", filter=Q(status=Status.RESOLVED, escalated_at__isnull=True)),
    ):  # fmt: skip
        entry = days[day]["agents"].setdefault(username, [0, 0, 0, 0, 0, 0])
        entry[3:5] = [row["tickets"], row["first_contact"]]
    for day, username, made in contacts.callbacks_made(start, end):
        days[day]["agents"].setdefault(username, [0, 0, 0, 0, 0, 0])[5] = made
    for field, slot in (("assigned_at", 0), ("resolved_at", 1)):
        for day, username, row in grouped(
            Ticket.objects.filter(
                assignee__isnull=False, **{f"{field}__gte": start, f"{field}__lt": end}
            ),
            field, "assignee__username",
            n=Count("id"),
        ):  # fmt: skip
            days[day]["officers"].setdefault(username, [0, 0])[slot] = row["n"]
    for day, agents in occupancy.seconds_by_day(start, end).items():
        days[day]["presence"] = agents
    return dict(days)


def _grouped(queryset, field, person, **aggregates):
    rows = (
        queryset.annotate(day=TruncDate(field, tzinfo=timezone.get_current_timezone()))
        .values("day", person)
        .annotate(**aggregates)
        .order_by()
    )
    for row in rows:
        yield row["day"], row[person], row


def person_sums(first: datetime.date, last: datetime.date) -> dict:
    """person_sums_by_day, added up over the range."""
    total = {"agents": {}, "officers": {}, "presence": {}}
    for sums in person_sums_by_day(first, last).values():
        add_person_sums(total, sums)
    return total


def add_person_sums(total: dict, more: dict) -> dict:
    for group in ("agents", "officers", "presence"):
        for username, figures in more.get(group, {}).items():
            have = total[group].setdefault(username, [0] * len(figures))
            have[:] = [a + b for a, b in zip(have, figures, strict=True)]
    return total


def _by_username(item) -> list:
    """(username, figures) pairs in the order people read usernames: agent2, agent10."""
    return natural_key(item[0])


def people_table(sums: dict) -> dict:
    """The per-person table from person_sums."""
    presence = sums.get("presence", {})
    agents = dict(sums["agents"])
    for username in presence:
        agents.setdefault(username, [0, 0, 0, 0, 0, 0])
    empty = [0] * len(occupancy.SLOTS)
    return {
        "agents": [
            {
                "username": username,
                "calls": calls,
                "tickets": tickets,
                "first_contact_resolved": first_contact,
                "average_handle_seconds": round(total / handled / 1e6) if handled else None,
                "callbacks_made": callbacks,
                **occupancy.figures(presence.get(username, empty)),
            }
            for username, (calls, handled, total, tickets, first_contact, callbacks) in sorted(
                agents.items(), key=_by_username
            )
        ],
        "officers": [
            {"username": username, "claimed": claimed, "resolved": resolved}
            for username, (claimed, resolved) in sorted(sums["officers"].items(), key=_by_username)
        ],
    }


def per_person(first: datetime.date, last: datetime.date) -> dict:
    """Agents: calls, tickets logged, answered at first contact, average handle time.
    Officers: tickets claimed and resolved in the range."""
    return people_table(person_sums(first, last))


def hours_by_day(first: datetime.date, last: datetime.date) -> dict:
    """Calls per hour of the day (local), for each day of the range: {day: [24 counts]}."""
    start, end = _bounds(first, last)
    tz = timezone.get_current_timezone()
    rows = (
        Call.objects.filter(started_at__gte=start, started_at__lt=end)
        .annotate(day=TruncDate("started_at", tzinfo=tz), hour=ExtractHour("started_at", tzinfo=tz))
        .values("day", "hour")
        .annotate(calls=Count("id"))
        .order_by()
    )
    days = defaultdict(lambda: [0] * 24)
    for row in rows:
        days[row["day"]][row["hour"]] = row["calls"]
    return dict(days)


def hour_table(days) -> list[dict]:
    """Calls per hour of the day, added up over days of 24 counts each."""
    counts = [sum(hour) for hour in zip(*days, strict=True)] if days else [0] * 24
    return [{"hour": hour, "calls": calls} for hour, calls in enumerate(counts)]


def by_hour(first: datetime.date, last: datetime.date) -> list[dict]:
    """Calls per hour of the day (local) over the range."""
    return hour_table(list(hours_by_day(first, last).values()))


def today_summary(row: dict | None = None) -> dict:
    """Today so far, for the dashboard's live strip: the day's row (`row`, when the
    caller has computed it already), the first-contact resolution rate, and the queue
    right now."""
    if row is None:
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
