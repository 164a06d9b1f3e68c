"""The ticket page and the API offer exactly what lifecycle.allowed_actions lists, for
every role and state: each action form is on the page only when the action is listed,
and each action through the API succeeds only when it is listed."""

import pytest

from citizens.models import ApplicationStatus
from corrections import services as correction_services
from reprints import services as reprint_services
from tests.citizens.factories import application
from tests.factories import escalated_ticket, ticket_for
from tickets import services
from tickets.lifecycle import allowed_actions
from tickets.models import Status

STATES = [
    Status.OPEN,
    Status.ESCALATED,
    Status.ASSIGNED,
    Status.AWAITING_REPRINT,
    Status.AWAITING_CORRECTION,
    Status.RESOLVED,
]
WHO = ["agent", "other_agent", "officer", "other_officer", "supervisor"]


@pytest.fixture
def people(agent, other_agent, officer, other_officer, supervisor):
    return {
        "agent": agent,
        "other_agent": other_agent,
        "officer": officer,
        "other_officer": other_officer,
        "supervisor": supervisor,
    }


def ticket_in(state, agent, officer):
    """A ticket `agent` logged, in `state`; claimed ones are held by `officer` with a
    card application being printed linked."""
    if state == Status.OPEN:
        return ticket_for(agent)
    if state == Status.RESOLVED:
        return ticket_for(agent, resolve_now=True)
    ticket = escalated_ticket(agent)
    if state == Status.ESCALATED:
        return ticket
    ticket = services.ticket_claim(actor=officer, ticket=ticket)
    card = application(status=ApplicationStatus.PRINTING)
    ticket = services.ticket_link_application(
        actor=officer, ticket=ticket, application_number=card.application_number
    )
    if state == Status.AWAITING_REPRINT:
        reprint_services.reprint_request(actor=officer, ticket=ticket, reason="slow_printing")
    if state == Status.AWAITING_CORRECTION:
        correction_services.correction_request(
            actor=officer, ticket=ticket, field="sex", correct_value="F", evidence="CCCD gốc"
        )
    ticket.refresh_from_db()
    return ticket


# What each action looks like on the ticket page: the form posting to it.
PAGE_FORMS = {
    "escalate": "/tickets/{ref}/escalate/",
    "claim": "/tickets/{ref}/claim/",
    "release": "/tickets/{ref}/release/",
    "resolve": "/tickets/{ref}/resolve/",
    "reopen": "/tickets/{ref}/reopen/",
    "note": "/tickets/{ref}/notes/",
    "request_reprint": "/tickets/{ref}/request-reprint/",
    "request_correction": "/tickets/{ref}/corrections/",
    # Linking is done from the record search, which only the holder gets.
    "link": 'id="records-title"',
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", WHO)
def test_ticket_page_offers_exactly_the_allowed_actions(who, state, people, client_for):
    ticket = ticket_in(state, people["agent"], people["officer"])
    user = people[who]
    allowed = set(allowed_actions(ticket, user))
    html = client_for(user).get(f"/tickets/{ticket.reference}/").content.decode()
    offered = {
        action
        for action, marker in PAGE_FORMS.items()
        if marker.format(ref=ticket.reference) in html
    }
    # Print-desk actions are taken on batches, the police's answers on correction
    # lists, a follow-up call on the console: never from the ticket page.
    answers = {"reprint_printed", "reprint_failed", "correction_made", "correction_refused"}
    assert offered == allowed - answers - {"add_call"}


# Each API action with input that succeeds when the action is allowed.
API_ACTIONS = {
    "escalate": ("escalate/", {}),
    "claim": ("claim/", {}),
    "release": ("release/", {}),
    "resolve": ("resolve/", {"resolution_code": "answered"}),
    "reopen": ("reopen/", {"note": "Gọi lại"}),
    "note": ("notes/", {"text": "Ghi chú"}),
    "link": ("link-application/", None),
    "request_reprint": ("request-reprint/", {"reason": "slow_printing"}),
    "request_correction": (
        "corrections/",
        {"field": "full_name", "correct_value": "Nguyễn Văn Ân", "evidence": "x"},
    ),
    "add_call": ("calls/", {"note": "Gọi lại lần nữa"}),
}


@pytest.mark.parametrize("action", list(API_ACTIONS))
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", WHO)
def test_api_action_succeeds_exactly_when_allowed(who, state, action, people, api_client_for):
    ticket = ticket_in(state, people["agent"], people["officer"])
    user = people[who]
    allowed = action in allowed_actions(ticket, user)
    path, data = API_ACTIONS[action]
    if data is None:
        data = {"application_number": application().application_number}
    client = api_client_for(user)
    response = client.post(f"/api/v1/tickets/{ticket.reference}/{path}", data, format="json")
    if allowed:
        assert response.status_code in (200, 201), response.content
    else:
        assert response.status_code in (403, 409), response.content
        assert "detail" in response.json()


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", WHO)
def test_ticket_json_lists_the_allowed_actions(who, state, people, api_client_for):
    ticket = ticket_in(state, people["agent"], people["officer"])
    user = people[who]
    body = api_client_for(user).get(f"/api/v1/tickets/{ticket.reference}/").json()
    assert body["allowed_actions"] == allowed_actions(ticket, user)
