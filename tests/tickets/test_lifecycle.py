"""The ticket life cycle (SPEC §3): the transition table and the services that use it."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from callcenter.errors import Conflict
from tests.factories import escalated_ticket, ticket_for
from tickets import services
from tickets.lifecycle import (
    ACTIONS,
    NotTicketHolder,
    TransitionNotAllowed,
    allowed_actions,
    check,
)
from tickets.models import Call, Channel, ResolutionCode, Status, Ticket, TicketEvent, TicketNote

# (action, from status) → target status, exactly as SPEC §3 describes the life cycle.
ALLOWED = {
    ("escalate", Status.OPEN): Status.ESCALATED,
    ("claim", Status.ESCALATED): Status.ASSIGNED,
    ("release", Status.ASSIGNED): Status.ESCALATED,
    # Linking a card application is work on a claimed ticket; the state stays.
    ("link", Status.ASSIGNED): Status.ASSIGNED,
    ("request_reprint", Status.ASSIGNED): Status.AWAITING_REPRINT,
    ("reprint_failed", Status.AWAITING_REPRINT): Status.ASSIGNED,
    ("reprint_printed", Status.AWAITING_REPRINT): Status.RESOLVED,
    # A correction request waits for the local police; its holder may file another.
    ("request_correction", Status.ASSIGNED): Status.AWAITING_CORRECTION,
    ("request_correction", Status.AWAITING_CORRECTION): Status.AWAITING_CORRECTION,
    ("correction_refused", Status.AWAITING_CORRECTION): Status.ASSIGNED,
    ("correction_made", Status.AWAITING_CORRECTION): Status.RESOLVED,
    ("resolve", Status.OPEN): Status.RESOLVED,
    ("resolve", Status.ASSIGNED): Status.RESOLVED,
    ("reopen", Status.RESOLVED): Status.ESCALATED,
    # A note may be written in any state, which it keeps.
    **{("note", status): status for status in Status.values},
    # A follow-up call joins any unresolved case (a resolved one is reopened first).
    **{("add_call", status): status for status in Status.values if status != Status.RESOLVED},
}
ACTION_NAMES = sorted({action for action, _ in ALLOWED})
ALL_COMBINATIONS = [(action, status) for action in ACTION_NAMES for status in Status.values]
REFUSED = [combo for combo in ALL_COMBINATIONS if combo not in ALLOWED]


def unsaved_ticket(status):
    """A ticket the user below logged, holds and has linked to an application, so that
    only its state decides."""
    return Ticket(
        reference="2601-00042",
        status=status,
        created_by=anyone(),
        assignee=anyone(),
        linked_application_id=1,
    )


def anyone():
    """A user whom every permission lets act: the state alone decides."""
    return User(pk=1, username="officer1", is_active=True, is_superuser=True)


def set_state(ticket, **fields):
    """Put a ticket in a state no service can reach yet (claim and reprint do not exist)."""
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    ticket.refresh_from_db()
    return ticket


def event_count(ticket):
    return TicketEvent.objects.filter(ticket=ticket).count()


def snapshot(ticket):
    """The fields a refused action must leave alone."""
    ticket = Ticket.objects.get(pk=ticket.pk)
    return {
        "status": ticket.status,
        "assignee_id": ticket.assignee_id,
        "resolution_code": ticket.resolution_code,
        "escalated_at": ticket.escalated_at,
        "resolved_at": ticket.resolved_at,
        "updated_at": ticket.updated_at,
        "events": event_count(ticket),
        "notes": TicketNote.objects.filter(ticket=ticket).count(),
    }


# --- the table ----------------------------------------------------------------------


def test_lifecycle_knows_exactly_the_actions_of_the_spec():
    assert set(ACTIONS) == set(ACTION_NAMES)


@pytest.mark.parametrize(("action", "status"), list(ALLOWED))
def test_allowed_transition_leads_to_the_spec_target(action, status):
    assert check(unsaved_ticket(status), action, anyone()) == ALLOWED[(action, status)]


@pytest.mark.parametrize(("action", "status"), REFUSED)
def test_transition_not_in_the_spec_is_refused(action, status):
    with pytest.raises(TransitionNotAllowed):
        check(unsaved_ticket(status), action, anyone())


@pytest.mark.parametrize("status", Status.values)
def test_allowed_actions_lists_the_actions_of_the_status(status):
    expected = {action for action, source in ALLOWED if source == status}
    assert set(allowed_actions(unsaved_ticket(status), anyone())) == expected


def test_refused_transition_is_a_conflict_with_a_message_naming_the_ticket():
    with pytest.raises(TransitionNotAllowed) as excinfo:
        check(unsaved_ticket(Status.RESOLVED), "escalate", anyone())
    assert isinstance(excinfo.value, Conflict)
    assert "2601-00042" in excinfo.value.message
    assert str(Status.RESOLVED.label) in excinfo.value.message


# --- ticket_create ------------------------------------------------------------------


def test_created_ticket_is_open_with_a_create_event_by_the_agent(agent):
    ticket = ticket_for(agent)

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.created_by == agent
    assert ticket.escalated_at is None
    assert ticket.resolved_at is None
    events = list(ticket.events.values_list("action", "from_status", "to_status", "actor"))
    assert events == [("create", "", Status.OPEN, agent.pk)]


def test_phone_ticket_records_the_call_with_its_times(agent):
    started = timezone.now() - datetime.timedelta(minutes=5)
    ended = started + datetime.timedelta(minutes=3)

    ticket = ticket_for(agent, call_started_at=started, call_ended_at=ended)

    call = Call.objects.get(ticket=ticket)
    assert (call.agent, call.started_at, call.ended_at) == (agent, started, ended)
    assert str(call.caller_phone) == str(ticket.caller_phone)
    assert call.handle_seconds == 180


def test_non_phone_ticket_records_no_call(agent):
    ticket = ticket_for(agent, channel=Channel.ZALO)

    assert not Call.objects.filter(ticket=ticket).exists()


def test_create_with_resolve_now_stores_a_resolved_ticket_answered(agent):
    ticket = ticket_for(agent, resolve_now=True, resolution_note="Đã hướng dẫn")

    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.status == Status.RESOLVED
    assert stored.resolution_code == ResolutionCode.ANSWERED
    assert stored.resolution_note == "Đã hướng dẫn"
    assert stored.resolved_at is not None
    events = list(stored.events.values_list("action", "from_status", "to_status", "actor"))
    assert events == [
        ("create", "", Status.OPEN, agent.pk),
        ("resolve", Status.OPEN, Status.RESOLVED, agent.pk),
    ]


def test_create_with_resolve_now_returns_the_resolved_ticket(agent):
    ticket = ticket_for(agent, resolve_now=True)

    assert ticket.status == Status.RESOLVED
    assert ticket.resolution_code == ResolutionCode.ANSWERED
    assert ticket.resolved_at is not None


def test_create_with_escalate_now_returns_an_escalated_ticket(agent):
    ticket = ticket_for(agent, escalate_now=True)

    stored = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status == stored.status == Status.ESCALATED
    assert stored.escalated_at is not None
    assert stored.resolved_at is None
    events = list(stored.events.values_list("action", "from_status", "to_status", "actor"))
    assert events == [
        ("create", "", Status.OPEN, agent.pk),
        ("escalate", Status.OPEN, Status.ESCALATED, agent.pk),
    ]


# --- ticket_escalate ----------------------------------------------------------------


def test_escalating_an_open_ticket_puts_it_in_the_queue(agent):
    ticket = ticket_for(agent)
    before = timezone.now()

    result = services.ticket_escalate(ticket=ticket, actor=agent)

    stored = Ticket.objects.get(pk=ticket.pk)
    assert result.status == stored.status == Status.ESCALATED
    assert stored.escalated_at >= before
    event = stored.events.last()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "escalate",
        Status.OPEN,
        Status.ESCALATED,
        agent,
    )


def test_escalating_with_a_note_stores_the_note(agent):
    ticket = ticket_for(agent)

    services.ticket_escalate(ticket=ticket, actor=agent, note="Cần tra cứu hồ sơ")

    note = TicketNote.objects.get(ticket=ticket)
    assert (note.author, note.text) == (agent, "Cần tra cứu hồ sơ")
    assert list(ticket.events.values_list("action", flat=True)) == ["create", "escalate", "note"]


@pytest.mark.parametrize(
    "status", [Status.ESCALATED, Status.ASSIGNED, Status.AWAITING_REPRINT, Status.RESOLVED]
)
def test_escalating_a_ticket_that_is_not_open_is_refused_and_changes_nothing(
    agent, officer, status
):
    ticket = set_state(ticket_for(agent), status=status, assignee=officer)
    before = snapshot(ticket)

    with pytest.raises(TransitionNotAllowed):
        services.ticket_escalate(ticket=ticket, actor=agent, note="ghi chú")

    assert snapshot(ticket) == before


def test_escalation_reads_the_current_state_not_the_callers_copy(agent):
    ticket = ticket_for(agent)
    stale_copy = Ticket.objects.get(pk=ticket.pk)
    services.ticket_escalate(ticket=ticket, actor=agent)

    with pytest.raises(TransitionNotAllowed):
        services.ticket_escalate(ticket=stale_copy, actor=agent)

    assert event_count(ticket) == 2


# --- ticket_resolve -----------------------------------------------------------------


def test_agent_resolves_own_open_ticket(agent):
    ticket = ticket_for(agent)
    before = timezone.now()

    result = services.ticket_resolve(
        ticket=ticket,
        actor=agent,
        resolution_code=ResolutionCode.ANSWERED,
        resolution_note="Hẹn trả thẻ 15/3",
    )

    stored = Ticket.objects.get(pk=ticket.pk)
    assert result.status == stored.status == Status.RESOLVED
    assert stored.resolution_code == ResolutionCode.ANSWERED
    assert stored.resolution_note == "Hẹn trả thẻ 15/3"
    assert stored.resolved_at >= before
    event = stored.events.last()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "resolve",
        Status.OPEN,
        Status.RESOLVED,
        agent,
    )
    assert event.changes == {"resolution_code": ResolutionCode.ANSWERED}


def test_agent_resolving_another_agents_open_ticket_is_refused(agent, other_agent):
    ticket = ticket_for(agent)
    before = snapshot(ticket)

    with pytest.raises(NotTicketHolder):
        services.ticket_resolve(
            ticket=ticket, actor=other_agent, resolution_code=ResolutionCode.ANSWERED
        )

    assert snapshot(ticket) == before


def test_holder_resolves_assigned_ticket(agent, officer):
    ticket = set_state(escalated_ticket(agent), status=Status.ASSIGNED, assignee=officer)

    services.ticket_resolve(
        ticket=ticket, actor=officer, resolution_code=ResolutionCode.COMPLAINT_FORWARDED
    )

    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.status == Status.RESOLVED
    assert stored.resolution_code == ResolutionCode.COMPLAINT_FORWARDED
    assert stored.resolved_at is not None
    event = stored.events.last()
    assert (event.from_status, event.to_status, event.actor) == (
        Status.ASSIGNED,
        Status.RESOLVED,
        officer,
    )


def test_resolving_a_ticket_held_by_another_officer_is_refused(agent, officer, other_officer):
    ticket = set_state(escalated_ticket(agent), status=Status.ASSIGNED, assignee=officer)
    before = snapshot(ticket)

    with pytest.raises(NotTicketHolder):
        services.ticket_resolve(
            ticket=ticket, actor=other_officer, resolution_code=ResolutionCode.ANSWERED
        )

    assert snapshot(ticket) == before


@pytest.mark.parametrize("status", [Status.ESCALATED, Status.AWAITING_REPRINT, Status.RESOLVED])
def test_resolving_a_ticket_neither_open_nor_assigned_is_refused(agent, officer, status):
    ticket = set_state(ticket_for(agent), status=status, assignee=officer)
    before = snapshot(ticket)

    with pytest.raises(TransitionNotAllowed):
        services.ticket_resolve(
            ticket=ticket, actor=officer, resolution_code=ResolutionCode.ANSWERED
        )

    assert snapshot(ticket) == before


def test_resolving_twice_is_refused_the_second_time(agent):
    ticket = ticket_for(agent)
    services.ticket_resolve(ticket=ticket, actor=agent, resolution_code=ResolutionCode.ANSWERED)
    before = snapshot(ticket)

    with pytest.raises(TransitionNotAllowed):
        services.ticket_resolve(
            ticket=ticket, actor=agent, resolution_code=ResolutionCode.DUPLICATE
        )

    assert snapshot(ticket) == before


# --- ticket_reopen ------------------------------------------------------------------


def test_reopening_a_resolved_ticket_sends_it_back_to_the_queue(agent, officer, supervisor):
    ticket = set_state(escalated_ticket(agent), status=Status.ASSIGNED, assignee=officer)
    services.ticket_resolve(ticket=ticket, actor=officer, resolution_code=ResolutionCode.NOT_FOUND)
    before = timezone.now()

    result = services.ticket_reopen(ticket=ticket, actor=supervisor, note="Công dân gọi lại")

    stored = Ticket.objects.get(pk=ticket.pk)
    assert result.status == stored.status == Status.ESCALATED
    assert stored.escalated_at >= before
    assert stored.assignee is None
    assert stored.assigned_at is None
    assert stored.resolution_code == ""
    assert stored.resolved_at is None
    reopen = stored.events.get(action="reopen")
    assert (reopen.from_status, reopen.to_status, reopen.actor) == (
        Status.RESOLVED,
        Status.ESCALATED,
        supervisor,
    )
    assert reopen.changes == {
        "previous_resolution_code": ResolutionCode.NOT_FOUND,
        "previous_resolution_note": "",
    }
    assert TicketNote.objects.get(ticket=ticket).text == "Công dân gọi lại"


@pytest.mark.parametrize(
    "status", [Status.OPEN, Status.ESCALATED, Status.ASSIGNED, Status.AWAITING_REPRINT]
)
def test_reopening_a_ticket_that_is_not_resolved_is_refused(agent, officer, status):
    ticket = set_state(ticket_for(agent), status=status, assignee=officer)
    before = snapshot(ticket)

    with pytest.raises(TransitionNotAllowed):
        services.ticket_reopen(ticket=ticket, actor=agent, note="ghi chú")

    assert snapshot(ticket) == before


# --- note_add -----------------------------------------------------------------------


@pytest.mark.parametrize("status", Status.values)
def test_note_is_added_in_any_state_without_changing_it(agent, officer, status):
    ticket = set_state(ticket_for(agent), status=status)
    updated_before = ticket.updated_at

    note = services.note_add(ticket=ticket, actor=officer, text="Đã gọi lại cho công dân")

    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.status == status
    assert stored.updated_at > updated_before
    assert (note.ticket, note.author, note.text) == (ticket, officer, "Đã gọi lại cho công dân")
    event = stored.events.last()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "note",
        status,
        status,
        officer,
    )


def test_note_event_records_the_current_status_even_from_a_stale_copy(agent, officer):
    stale_copy = ticket_for(agent)
    services.ticket_escalate(ticket=Ticket.objects.get(pk=stale_copy.pk), actor=agent)

    services.note_add(ticket=stale_copy, actor=officer, text="Đang xác minh")

    event = TicketEvent.objects.filter(ticket=stale_copy).last()
    assert (event.action, event.from_status, event.to_status) == (
        "note",
        Status.ESCALATED,
        Status.ESCALATED,
    )
