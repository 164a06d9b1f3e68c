"""Who may use the officer queue and its actions (SPEC §4, §5; issue 3), for every role,
and which roles see full CCCD numbers and dates of birth in lists.

Allowed roles act on a ticket arranged so the action succeeds; the other roles must be
refused with 403 (or 401 / a login redirect when anonymous) and change nothing.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest

from callcenter.roles import AGENT, OFFICER, PBX, PRINT_DESK, SUPERVISOR
from tests.factories import escalated_ticket, ticket_for
from tests.tickets.test_claim import card_application
from tickets import services
from tickets.models import Status, Ticket, TicketEvent

ANONYMOUS = "anonymous"
ROLES = (AGENT, OFFICER, SUPERVISOR, PRINT_DESK, PBX, ANONYMOUS)
OFFICERS = frozenset({OFFICER})
SITE_NAME = "1900 0368"
PHONE = "+84912345678"
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
    card_application(APPLICATION)
    return held_ticket(users, role)


def snapshot():
    """Everything these actions could change."""
    tickets = list(
        Ticket.objects.order_by("pk").values_list(
            "reference", "status", "assignee_id", "linked_application_id"
        )
    )
    return tickets, TicketEvent.objects.count()


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # `{ref}` is replaced with the arranged ticket's reference
    success: int
    arrange: Callable = queued_ticket
    data: dict = field(default_factory=dict)
    allowed: frozenset = OFFICERS

    def url(self, ticket) -> str:
        return self.path.format(ref=ticket.reference)


def matrix(cases):
    return [
        pytest.param(case, role, id=f"{case.method} {case.name} as {role}")
        for case in cases
        for role in ROLES
    ]


# --- API ------------------------------------------------------------------------------

API_CASES = [
    Case("queue", "get", "/api/v1/queue/", 200),
    Case("claim", "post", "/api/v1/tickets/{ref}/claim/", 200),
    Case("release", "post", "/api/v1/tickets/{ref}/release/", 200, held_ticket),
    Case(
        "link application",
        "post",
        "/api/v1/tickets/{ref}/link-application/",
        200,
        held_ticket_and_application,
        {"application_number": APPLICATION},
    ),
]

# What a successful action leaves behind.
API_OUTCOMES = {
    "queue": lambda ticket: ticket.status == Status.ESCALATED,
    "claim": lambda ticket: ticket.status == Status.ASSIGNED,
    "release": lambda ticket: (ticket.status, ticket.assignee_id) == (Status.ESCALATED, None),
    "link application": lambda ticket: ticket.linked_application_id is not None,
}


@pytest.mark.parametrize(("case", "role"), matrix(API_CASES))
def test_api_endpoint_answers_each_role_as_specified(case, role, users, api_client_for):
    ticket = case.arrange(users, role)
    before = snapshot()
    client = api_client_for(users.get(role))

    response = getattr(client, case.method)(case.url(ticket), case.data, format="json")

    if role == ANONYMOUS:
        assert response.status_code == 401, response.content
        assert response.json()["detail"]
    elif role in case.allowed:
        assert response.status_code == case.success, response.content
        assert API_OUTCOMES[case.name](Ticket.objects.get(pk=ticket.pk))
    else:
        assert response.status_code == 403, response.content
        assert response.json()["detail"]
    if role not in case.allowed:
        assert snapshot() == before


def test_queue_api_shows_the_officer_the_waiting_ticket(users, api_client_for):
    ticket = queued_ticket(users, OFFICER)

    response = api_client_for(users[OFFICER]).get("/api/v1/queue/")

    assert [row["reference"] for row in response.json()["results"]] == [ticket.reference]


# --- pages ----------------------------------------------------------------------------

PAGE_CASES = [
    Case("queue", "get", "/queue/", 200),
    Case("claim", "post", "/tickets/{ref}/claim/", 302),
    Case("release", "post", "/tickets/{ref}/release/", 302, held_ticket),
    Case(
        "link",
        "post",
        "/tickets/{ref}/link/",
        302,
        held_ticket_and_application,
        {"application_number": APPLICATION},
    ),
]

# Where a successful page action leads.
PAGE_LANDINGS = {
    "claim": lambda ticket: ticket.get_absolute_url(),
    "release": lambda ticket: "/queue/",
    "link": lambda ticket: ticket.get_absolute_url(),
}


def assert_redirects_to_login(response, path):
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query)["next"] == [path]


@pytest.mark.parametrize(("case", "role"), matrix(PAGE_CASES))
def test_page_answers_each_role_as_specified(case, role, users, client, client_for):
    ticket = case.arrange(users, role)
    before = snapshot()
    page_client = client_for(users[role]) if role != ANONYMOUS else client
    url = case.url(ticket)

    response = getattr(page_client, case.method)(url, case.data)

    if role == ANONYMOUS:
        assert_redirects_to_login(response, url)
    elif role not in case.allowed:
        assert response.status_code == 403
        assert SITE_NAME in response.content.decode()
    else:
        assert response.status_code == case.success, response.content.decode()[:2000]
    if role not in case.allowed:
        assert snapshot() == before
    elif case.method == "post":
        assert snapshot() != before
        assert response["Location"] == PAGE_LANDINGS[case.name](ticket)


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
