"""Reads of callbacks: the list agents work from, what is due, and what each number
still has open."""

import datetime
from collections import defaultdict

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from tickets.models import Status as TicketStatus
from tickets.models import Ticket

from .models import Callback

# A callback taken and left this long (the agent went to lunch) may be taken by another.
HOLD_LAPSES_AFTER = datetime.timedelta(minutes=15)


def hold_lapsed(callback: Callback, now: datetime.datetime) -> bool:
    return callback.held_at is None or callback.held_at < now - HOLD_LAPSES_AFTER


def due(now: datetime.datetime | None = None):
    """Pending callbacks due now that nobody is ringing (or whose hold lapsed), oldest
    first."""
    now = now or timezone.now()
    return Callback.objects.filter(
        Q(holder__isnull=True) | Q(held_at__lt=now - HOLD_LAPSES_AFTER),
        status=Callback.Status.PENDING,
        next_attempt_at__lte=now,
    ).order_by("first_missed_at", "id")


def callback_list(status: str = ""):
    """Callbacks in the order agents work them: pending ones due now first, then those
    waiting for a retry, each oldest first; closed ones newest first."""
    callbacks = Callback.objects.select_related("holder", "ticket")
    if status:
        callbacks = callbacks.filter(status=status)
    if status != Callback.Status.PENDING:
        return callbacks.order_by("-closed_at", "-first_missed_at", "-id")
    waiting = Case(
        When(next_attempt_at__lte=timezone.now(), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return callbacks.order_by(waiting, "next_attempt_at", "first_missed_at", "id")


def with_open_tickets(callbacks) -> list[Callback]:
    """The callbacks, each with `open_tickets`: its number's unresolved tickets (one
    query for the whole page)."""
    callbacks = list(callbacks)
    phones = {c.phone for c in callbacks}
    by_phone = defaultdict(list)
    tickets = Ticket.objects.filter(caller_phone__in=phones).exclude(status=TicketStatus.RESOLVED)
    for ticket in tickets.order_by("-created_at"):
        by_phone[ticket.caller_phone].append(ticket)
    for callback in callbacks:
        callback.open_tickets = by_phone.get(callback.phone, [])
    return callbacks


def held_by(agent) -> Callback | None:
    return Callback.objects.filter(status=Callback.Status.PENDING, holder=agent).first()
