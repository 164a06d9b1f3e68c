"""Reads that span models: tickets for a user, a caller's history."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from . import lifecycle
from .models import QUEUE_ORDER, Call, Status, Ticket, TicketEvent, TicketNote

HISTORY_LIMIT = 20


def _with_detail(tickets):
    """Notes, calls and history too, in a fixed number of queries."""
    return tickets.select_related("linked_application").prefetch_related(
        Prefetch("notes", TicketNote.objects.select_related("author")),
        # Each call's ticket is this one: the prefetch sets it, no join needed.
        Prefetch("calls", Call.objects.select_related("agent")),
        Prefetch("events", TicketEvent.objects.select_related("actor")),
    )


def get_ticket_for(actor, reference: str, action: str | None = None, *, detail=False) -> Ticket:
    """The ticket with this reference, if the actor's role may see tickets or take
    `action` (403 otherwise, before looking: a refused role learns nothing); 404 when
    there is none. Whether this actor may take the action on this ticket now is the
    life cycle's to say, under the row lock (lifecycle.check)."""
    if not actor.has_perm("tickets.view_ticket") and not (
        action and lifecycle.permitted(action, actor)
    ):
        raise PermissionDenied
    tickets = Ticket.objects.with_people()
    try:
        return (_with_detail(tickets) if detail else tickets).get(reference=reference)
    except Ticket.DoesNotExist:
        raise Http404(
            _("No ticket with reference %(reference)s.") % {"reference": reference}
        ) from None


# What a row of the queue page shows: no people, no linked application.
ROW_FIELDS = (
    "reference", "status", "category", "priority", "caller_name", "summary",
    "escalated_at", "assigned_at", "resolved_at", "contact_count",
)  # fmt: skip
HELD = (Status.ASSIGNED, Status.AWAITING_REPRINT, Status.AWAITING_CORRECTION)


def officer_queue(*, rows: bool = False):
    """Escalated tickets nobody holds: high priority first, then complaints, then the
    longest waiting. `rows`: only the fields the queue page's rows show."""
    tickets = Ticket.objects.only(*ROW_FIELDS) if rows else Ticket.objects.with_people()
    return tickets.filter(status=Status.ESCALATED).order_by(*QUEUE_ORDER)


def officer_tickets(officer):
    """The tickets an officer holds or has sent for reprinting, longest held first, with
    the fields of a queue page row."""
    return (
        Ticket.objects.only(*ROW_FIELDS)
        .filter(assignee=officer, status__in=HELD)
        .order_by("assigned_at", "id")
    )


def queue_counts(officer) -> tuple[int, int]:
    """How many tickets wait in the queue and how many the officer holds: one query."""
    waiting = Q(status=Status.ESCALATED)
    held = Q(assignee=officer, status__in=HELD)
    counts = Ticket.objects.filter(waiting | held).aggregate(
        waiting=Count("pk", filter=waiting), held=Count("pk", filter=held)
    )
    return counts["waiting"], counts["held"]


def caller_history(phone, *, limit: int = HISTORY_LIMIT) -> dict:
    """A number's earlier tickets and calls, newest first, across every channel."""
    tickets = list(Ticket.objects.with_people().filter(caller_phone=phone)[:limit])
    calls = list(Call.objects.select_related("agent", "ticket").filter(caller_phone=phone)[:limit])
    return {"tickets": tickets, "calls": calls}


def caller_file(phone) -> dict:
    """Everything the caller-history API shows about a number: the tickets a follow-up
    call can join or reopen (`follow_up_candidates`) and its history. Most numbers have
    never called: two index look-ups say so, instead of the four wide queries."""
    if not (
        Ticket.objects.filter(caller_phone=phone).exists()
        or Call.objects.filter(caller_phone=phone).exists()
    ):
        return {"open_tickets": [], "reopenable_tickets": [], "tickets": [], "calls": []}
    return {**follow_up_candidates(phone=phone), **caller_history(phone)}


def agent_calls_today(agent):
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Call.objects.select_related("ticket").filter(agent=agent, started_at__gte=start)


def agent_recent_tickets(agent, *, query: str = "", limit: int = 15):
    tickets = Ticket.objects.filter(created_by=agent)
    if query:
        tickets = tickets.search(query)
    return tickets[:limit]


def _callers_tickets(phone=None, cccd_number: str = "", *, people=True):
    """Tickets of this number or this CCCD number (a caller on another phone)."""
    match = Q(pk__in=[])
    if phone:
        match |= Q(caller_phone=phone)
    if cccd_number:
        match |= Q(cccd_number=cccd_number)
    return (Ticket.objects.with_people() if people else Ticket.objects).filter(match)


# What a possible duplicate shows (the console's warning, the API's `open_tickets`).
DUPLICATE_FIELDS = ("reference", "status", "category", "created_at", "summary")


def follow_up_candidates(*, phone=None, cccd_number: str = "", limit: int = 10) -> dict:
    """What a follow-up call can join: the caller's unresolved tickets (`open_tickets`),
    and those resolved recently enough to be reopened (`reopenable_tickets`), newest
    first."""
    tickets = _callers_tickets(phone, cccd_number)
    since = timezone.now() - lifecycle.REOPEN_WITHIN
    return {
        "open_tickets": list(tickets.exclude(status=Status.RESOLVED)[:limit]),
        "reopenable_tickets": list(
            tickets.filter(status=Status.RESOLVED, resolved_at__gte=since)[:limit]
        ),
    }


def duplicates(*, phone=None, cccd_number: str = "", category: str, exclude=None) -> list:
    """The caller's unresolved tickets of this category: a new ticket about the same
    thing is probably the same case."""
    tickets = _callers_tickets(phone, cccd_number, people=False).filter(category=category)
    if exclude is not None:
        tickets = tickets.exclude(pk=exclude.pk)
    return list(tickets.exclude(status=Status.RESOLVED).only(*DUPLICATE_FIELDS)[:10])


def ticket_for_caller(reference: str, phone) -> Ticket | None:
    """A citizen's own ticket, for the public status page: the reference and the phone
    it was logged for must both match (None otherwise, whichever was wrong)."""
    if not phone:
        return None
    return Ticket.objects.filter(reference=reference, caller_phone=phone).first()


def ticket_held_by(*, user, reference: str) -> bool:
    """Whether the user holds the ticket or once claimed it: what a record look-up for
    that ticket needs (citizens.hooks.lookup_ticket_held)."""
    held = Q(assignee=user) | Q(events__actor=user, events__action="claim")
    return Ticket.objects.filter(held, reference=reference).exists()
