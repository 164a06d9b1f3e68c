import datetime

import pytest
from django.utils import timezone

from callbacks.models import Callback
from citizens.models import RecordAccess
from tests.factories import ticket_for
from tickets import services
from tickets.models import Call, Ticket

PHONE = "+84912345678"
CCCD = "001090012345"
DAYS_AGO = 45


def backdate(ticket, days):
    """Move a ticket, its calls and history `days` back, as if logged then."""
    shift = datetime.timedelta(days=days)
    for name in ("created_at", "resolved_at", "escalated_at", "assigned_at"):
        value = getattr(ticket, name)
        if value:
            Ticket.objects.filter(pk=ticket.pk).update(**{name: value - shift})
    for call in Call.objects.filter(ticket=ticket):
        Call.objects.filter(pk=call.pk).update(
            started_at=call.started_at - shift,
            answered_at=call.answered_at and call.answered_at - shift,
            ended_at=call.ended_at and call.ended_at - shift,
        )
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def subject_data(agent, officer):
    """An old resolved ticket of PHONE / CCCD with a note, a closed callback for the
    number, and an officer's look-up of the CCCD number."""
    ticket = ticket_for(
        agent,
        phone=PHONE,
        identity={"caller_name": "Nguyễn Văn An", "cccd_number": CCCD,
                  "date_of_birth": datetime.date(1990, 5, 17)},
        resolve_now=True,
        resolution_note="Đã hướng dẫn anh An",
    )  # fmt: skip
    services.note_add(ticket=ticket, actor=agent, text="Gọi lại cho anh An")
    ticket = backdate(ticket, DAYS_AGO)
    old = timezone.now() - datetime.timedelta(days=DAYS_AGO)
    Callback.objects.create(
        phone=PHONE, status=Callback.Status.REACHED, first_missed_at=old,
        last_missed_at=old, next_attempt_at=old, closed_at=old,
    )  # fmt: skip
    RecordAccess.objects.create(
        user=officer, action="search", search_kind="cccd", query={"cccd_number": CCCD},
        ticket_reference=ticket.reference, result_count=1,
    )  # fmt: skip
    return ticket
