"""Who may use the officer queue and its actions (SPEC §4, §5; issue 3), for every role,
and which roles see full CCCD numbers and dates of birth in lists.

Allowed roles act on a ticket arranged so the action succeeds; the other roles must be
refused with 403 (or 401 / a login redirect when anonymous) and change nothing.
"""

import datetime

import pytest

from callcenter.roles import AGENT, OFFICER, SUPERVISOR
from tests.citizens.factories import application as card_application
from tests.factories import escalated_ticket, ticket_for
from tests.role_matrix import PHONE, Case, matrix, run_api_case, run_page_case
from tickets import services
from tickets.models import Status, Ticket, TicketEvent

OFFICERS = frozenset({OFFICER})
APPLICATION = "HS2203000001"
CCCD = "001090012345"
BIRTH = datetime.date(1990, 5, 17)


# --- arranging state ------------------------------------------------------------------


def queued_ticket(users, role):
    return escalated_ticket(users[AGENT], phone=PHONE)


def held_ticket(users, role):
    """Held by the officer: the one who may release it or link an application."""
    return services.ticket_claim(ticket=queued_ticket(users, role), actor=users[OFFICER])


def held_ticket_and_application(users, role):
    card_application(application_number=APPLICATION)
    return held_ticket(users, role)


def snapshot():
    """Everything these actions could change."""
    tickets = list(
        Ticket.objects.order_by("pk").values_list(
            "reference", "status", "assignee_id", "linked_application_id"
        )
    )
    return tickets, TicketEvent.objects.count()


def arranged(case, users, role):
    """The ticket the case acts on: a queued one unless the case arranges its own."""
    return (case.arrange or queued_ticket)(users, role)


def now(check):
    """An outcome: `check` holds for the ticket as the action left it."""
    return lambda response, ticket: check(Ticket.objects.get(pk=ticket.pk))


# --- API ------------------------------------------------------------------------------

# Each with what a successful action leaves behind.
API_CASES = [
    Case(
        "queue",
        "get",
        "/api/v1/queue/",
        OFFICERS,
        200,
        outcome=now(lambda ticket: ticket.status == Status.ESCALATED),
    ),
    Case(
        "claim",
        "post",
        "/api/v1/tickets/{ref}/claim/",
        OFFICERS,
        200,
        outcome=now(lambda ticket: ticket.status == Status.ASSIGNED),
    ),
    Case(
        "release",
        "post",
        "/api/v1/tickets/{ref}/release/",
        OFFICERS,
        200,
        held_ticket,
        outcome=now(lambda ticket: (ticket.status, ticket.assignee_id) == (Status.ESCALATED, None)),
    ),
    Case(
        "link application",
        "post",
        "/api/v1/tickets/{ref}/link-application/",
        OFFICERS,
        200,
        held_ticket_and_application,
        {"application_number": APPLICATION},
        outcome=now(lambda ticket: ticket.linked_application_id is not None),
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(API_CASES))
def test_api_endpoint_answers_each_role_as_specified(case, role, users, api_client_for):
    run_api_case(
        case,
        role,
        arranged(case, users, role),
        users=users,
        api_client_for=api_client_for,
        snapshot=snapshot,
    )


def test_queue_api_shows_the_officer_the_waiting_ticket(users, api_client_for):
    ticket = queued_ticket(users, OFFICER)

    response = api_client_for(users[OFFICER]).get("/api/v1/queue/")

    assert [row["reference"] for row in response.json()["results"]] == [ticket.reference]


# --- pages ----------------------------------------------------------------------------

# Each with where a successful action leads.
PAGE_CASES = [
    Case("queue", "get", "/queue/", OFFICERS, 200),
    Case(
        "claim",
        "post",
        "/tickets/{ref}/claim/",
        OFFICERS,
        302,
        outcome=lambda response, ticket: response["Location"] == ticket.get_absolute_url(),
    ),
    Case(
        "release",
        "post",
        "/tickets/{ref}/release/",
        OFFICERS,
        302,
        held_ticket,
        outcome=lambda response, ticket: response["Location"] == "/queue/",
    ),
    Case(
        "link",
        "post",
        "/tickets/{ref}/link/",
        OFFICERS,
        302,
        held_ticket_and_application,
        {"application_number": APPLICATION},
        outcome=lambda response, ticket: response["Location"] == ticket.get_absolute_url(),
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(PAGE_CASES))
def test_page_answers_each_role_as_specified(case, role, users, client, client_for):
    run_page_case(
        case,
        role,
        arranged(case, users, role),
        users=users,
        client=client,
        client_for=client_for,
        snapshot=snapshot,
    )


@pytest.mark.parametrize("action", ["claim", "release", "link"])
def test_queue_page_actions_refuse_get(action, users, client_for):
    ticket = held_ticket(users, OFFICER)
    before = snapshot()

    response = client_for(users[OFFICER]).get(f"/tickets/{ticket.reference}/{action}/")

    assert response.status_code == 405
    assert snapshot() == before


# --- masked identities in lists -------------------------------------------------------

MASKED = {"cccd_number": "001******345", "date_of_birth": "1990-**-**"}
FULL = {"cccd_number": CCCD, "date_of_birth": "1990-05-17"}


def identity_of(row):
    return {"cccd_number": row["cccd_number"], "date_of_birth": row["date_of_birth"]}


def known_caller(logged_by):
    """A queued ticket whose caller gave a CCCD number and a date of birth."""
    return escalated_ticket(
        logged_by, phone=PHONE, identity={"cccd_number": CCCD, "date_of_birth": BIRTH}
    )


@pytest.mark.parametrize(
    ("role", "expected"), [(AGENT, MASKED), (OFFICER, FULL), (SUPERVISOR, FULL)]
)
def test_ticket_list_api_masks_identities_for_agents_only(
    role, expected, users, other_agent, api_client_for
):
    known_caller(other_agent)

    response = api_client_for(users[role]).get("/api/v1/tickets/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert identity_of(row) == expected


@pytest.mark.parametrize(("role", "expected"), [(AGENT, MASKED), (OFFICER, FULL)])
def test_caller_history_api_masks_identities_for_agents_only(
    role, expected, users, other_agent, api_client_for
):
    known_caller(other_agent)

    response = api_client_for(users[role]).get(f"/api/v1/callers/{PHONE}/history/")

    assert response.status_code == 200
    [row] = response.json()["tickets"]
    assert identity_of(row) == expected


@pytest.mark.parametrize("role", [AGENT, OFFICER, SUPERVISOR])
def test_single_ticket_api_shows_full_identity_to_those_who_work_it(role, users, api_client_for):
    """The agent who logged the ticket, and officers and supervisors."""
    ticket = known_caller(users[AGENT])

    response = api_client_for(users[role]).get(f"/api/v1/tickets/{ticket.reference}/")

    assert response.status_code == 200
    assert identity_of(response.json()) == FULL


def test_queue_api_shows_full_identity_to_officers(users, other_agent, api_client_for):
    known_caller(other_agent)

    response = api_client_for(users[OFFICER]).get("/api/v1/queue/")

    [row] = response.json()["results"]
    assert identity_of(row) == FULL


def test_masking_leaves_an_unknown_identity_empty(users, other_agent, api_client_for):
    ticket_for(other_agent, phone=PHONE)

    response = api_client_for(users[AGENT]).get("/api/v1/tickets/")

    [row] = response.json()["results"]
    assert identity_of(row) == {"cccd_number": "", "date_of_birth": None}
