import datetime

import pytest

from tests.factories import escalated_ticket
from tickets import sla
from tickets.models import Category, SlaTarget, Status, Ticket

HANOI = datetime.timezone(datetime.timedelta(hours=7))
pytestmark = pytest.mark.django_db


def at(day: str, clock: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=HANOI)


def waiting_since(agent, moment, **fields) -> Ticket:
    ticket = escalated_ticket(agent, **fields)
    Ticket.objects.filter(pk=ticket.pk).update(escalated_at=moment)
    ticket.refresh_from_db()
    return ticket


@pytest.mark.parametrize(
    ("now", "code"),
    [
        (at("2026-12-08", "10:00"), "on_track"),  # one business hour of four
        (at("2026-12-08", "12:30"), "due_soon"),  # three and a half of four
        (at("2026-12-08", "13:30"), "breached"),  # four and a half
        # Overnight does not count: 17:00 Tuesday to 08:00 Wednesday is one hour.
    ],
)
def test_claim_clock_counts_business_hours_in_the_queue(agent, now, code):
    ticket = waiting_since(agent, at("2026-12-08", "09:00"))

    state = sla.state(ticket, now=now)

    assert (state.clock, state.code) == ("claim", code)


def test_the_night_does_not_count_against_the_claim_target(agent):
    ticket = waiting_since(agent, at("2026-12-08", "17:00"))

    assert sla.state(ticket, now=at("2026-12-09", "08:00")).code == "on_track"
    assert sla.state(ticket, now=at("2026-12-09", "11:01")).code == "breached"


def test_resolve_clock_runs_once_claimed_and_a_supervisor_target_applies(agent, officer):
    ticket = waiting_since(agent, at("2026-12-07", "09:00"), category=Category.COMPLAINT)
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.ASSIGNED, assignee=officer)
    ticket.refresh_from_db()

    # Two business days (20 h) from Monday 09:00 run out on Wednesday at 09:00.
    assert sla.state(ticket, now=at("2026-12-08", "16:00")).code == "due_soon"
    assert sla.state(ticket, now=at("2026-12-09", "10:00")).code == "breached"

    SlaTarget.objects.create(
        category=Category.COMPLAINT, claim_within_hours=4, resolve_within_days=5
    )
    state = sla.state(ticket, now=at("2026-12-09", "10:00"))
    assert (state.clock, state.code) == ("resolve", "on_track")


def test_resolved_ticket_is_met_or_breached_for_good(agent, officer):
    ticket = waiting_since(agent, at("2026-12-07", "09:00"))
    Ticket.objects.filter(pk=ticket.pk).update(
        status=Status.RESOLVED, resolved_at=at("2026-12-08", "10:00")
    )
    ticket.refresh_from_db()
    assert sla.state(ticket, now=at("2027-01-01", "10:00")).code == "met"

    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=at("2026-12-15", "10:00"))
    ticket.refresh_from_db()
    assert sla.state(ticket, now=at("2027-01-01", "10:00")).code == "breached"


def test_a_ticket_answered_at_first_contact_has_no_sla(agent):
    from tests.factories import ticket_for

    assert sla.state(ticket_for(agent)) is None


def test_queue_page_shows_each_tickets_sla_state(agent, officer, client_for):
    waiting_since(agent, at("2026-11-02", "09:00"))  # weeks before any run of this test

    content = client_for(officer).get("/queue/").content.decode()

    assert "sla-breached" in content
