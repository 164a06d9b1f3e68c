"""Small helpers that create tickets through the real services."""

from tickets import services
from tickets.models import Category

DEFAULT_PHONE = "+84912345678"


def ticket_for(agent, *, phone=DEFAULT_PHONE, category=Category.DELAYED_CARD, **kwargs):
    return services.ticket_create(
        actor=agent,
        caller_phone=phone,
        category=category,
        summary=kwargs.pop("summary", "Chưa nhận được thẻ CCCD"),
        **kwargs,
    )


def escalated_ticket(agent, **kwargs):
    ticket = ticket_for(agent, **kwargs)
    return services.ticket_escalate(ticket=ticket, actor=agent)
