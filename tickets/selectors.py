"""Reads that span models: tickets for a user, a caller's history."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Call, Ticket, TicketEvent, TicketNote

HISTORY_LIMIT = 20


def get_ticket(reference: str) -> Ticket:
    """The ticket with this reference or a 404 (the view has checked the role)."""
    try:
        return Ticket.objects.with_people().get(reference=reference)
    except Ticket.DoesNotExist:
        raise Http404(
            _("No ticket with reference %(reference)s.") % {"reference": reference}
        ) from None


def ticket_detail(reference: str) -> Ticket:
    """A ticket with its notes, calls and history, fetched in a fixed number of queries."""
    try:
        return (
            Ticket.objects.with_people()
            .prefetch_related(
                Prefetch("notes", TicketNote.objects.select_related("author")),
                Prefetch("calls", Call.objects.select_related("agent", "ticket")),
                Prefetch("events", TicketEvent.objects.select_related("actor")),
            )
            .get(reference=reference)
        )
    except Ticket.DoesNotExist:
        raise Http404(
            _("No ticket with reference %(reference)s.") % {"reference": reference}
        ) from None


def caller_history(phone, *, limit: int = HISTORY_LIMIT) -> dict:
    """A number's earlier tickets and calls, newest first, across every channel."""
    tickets = list(Ticket.objects.with_people().filter(caller_phone=phone)[:limit])
    calls = list(Call.objects.select_related("agent", "ticket").filter(caller_phone=phone)[:limit])
    return {"tickets": tickets, "calls": calls}


def agent_calls_today(agent):
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Call.objects.select_related("ticket").filter(agent=agent, started_at__gte=start)


def agent_recent_tickets(agent, *, query: str = "", limit: int = 15):
    tickets = Ticket.objects.filter(created_by=agent)
    if query:
        tickets = tickets.search(query)
    return tickets[:limit]
