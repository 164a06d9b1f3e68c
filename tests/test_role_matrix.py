"""Who may use which endpoint and page (SPEC §2, §4, §5), checked for every role.

Allowed roles act on a ticket arranged so the action succeeds; the other roles must
be refused with 403 (or 401 / a login redirect when anonymous) and change nothing.
"""

import pytest
from django.utils import timezone

from callcenter.roles import AGENT, OFFICER, PBX, PRINT_DESK, SUPERVISOR
from tests.conftest import PASSWORD
from tests.factories import ticket_for
from tests.role_matrix import (
    ANONYMOUS,
    PHONE,
    ROLES,
    SITE_NAME,
    Case,
    assert_redirects_to_login,
    matrix,
    page_client,
    run_api_case,
    run_page_case,
)
from tickets import services
from tickets.models import Call, Status, Ticket, TicketEvent, TicketNote

STAFF = frozenset({AGENT, OFFICER, SUPERVISOR})


# --- arranging state ------------------------------------------------------------------


def held_by(officer, ticket) -> Ticket:
    """The state a claim leaves: escalated, then held by the officer."""
    services.ticket_escalate(ticket=ticket, actor=ticket.created_by)
    Ticket.objects.filter(pk=ticket.pk).update(
        status=Status.ASSIGNED, assignee=officer, assigned_at=timezone.now()
    )
    return Ticket.objects.get(pk=ticket.pk)


def no_ticket(users, role):
    return None


def open_ticket(users, role):
    return ticket_for(users[AGENT], phone=PHONE)


def resolvable_ticket(users, role):
    """The agent's own open ticket, or, for an officer, a ticket the officer holds."""
    ticket = ticket_for(users[AGENT], phone=PHONE)
    return held_by(users[OFFICER], ticket) if role == OFFICER else ticket


def resolved_ticket(users, role):
    return ticket_for(users[AGENT], phone=PHONE, resolve_now=True)


def arranged(case, users, role):
    """The ticket the case acts on: an open one unless the case arranges its own."""
    return (case.arrange or open_ticket)(users, role)


def snapshot():
    """Everything an action could change."""
    tickets = list(Ticket.objects.order_by("pk").values_list("reference", "status", "assignee_id"))
    return tickets, TicketNote.objects.count(), TicketEvent.objects.count(), Call.objects.count()


def lands_on_the_new_ticket(response, ticket):
    return response["Location"].startswith("/console/?created=")


def lands_on_the_ticket(response, ticket):
    return response["Location"].startswith(ticket.get_absolute_url())


# --- API ------------------------------------------------------------------------------

API_CASES = [
    Case(
        "tickets create",
        "post",
        "/api/v1/tickets/",
        frozenset({AGENT}),
        201,
        no_ticket,
        {"caller_phone": "0912 345 678", "category": "other", "summary": "Hỏi giờ làm việc"},
    ),
    Case(
        "channel ticket create",
        "post",
        "/api/v1/tickets/",
        frozenset({AGENT, PBX}),
        201,
        no_ticket,
        {"channel": "email", "contact": "an@example.vn", "category": "other", "summary": "Hỏi"},
    ),
    Case(
        "cti event",
        "post",
        "/api/v1/cti/events/",
        frozenset({PBX}),
        202,
        no_ticket,
        {
            "call_id": "m-1",
            "event": "ringing",
            "caller_number": "0912345678",
            "agent_extension": "101",
            "at": timezone.now().isoformat(),
        },
    ),  # fmt: skip
    Case("tickets list", "get", "/api/v1/tickets/", STAFF, 200),
    Case("ticket detail", "get", "/api/v1/tickets/{ref}/", STAFF, 200),
    Case(
        "escalate",
        "post",
        "/api/v1/tickets/{ref}/escalate/",
        frozenset({AGENT}),
        200,
        data={"note": "Cần tra cứu hồ sơ"},
    ),
    Case(
        "resolve",
        "post",
        "/api/v1/tickets/{ref}/resolve/",
        frozenset({AGENT, OFFICER}),
        200,
        resolvable_ticket,
        {"resolution_code": "answered", "resolution_note": "Đã trả lời"},
    ),
    Case(
        "reopen",
        "post",
        "/api/v1/tickets/{ref}/reopen/",
        frozenset({AGENT, SUPERVISOR}),
        200,
        resolved_ticket,
        {"note": "Công dân gọi lại"},
    ),
    Case(
        "notes",
        "post",
        "/api/v1/tickets/{ref}/notes/",
        STAFF,
        201,
        data={"text": "Ghi chú nội bộ"},
    ),
    Case(
        "caller history",
        "get",
        "/api/v1/callers/{phone}/history/",
        frozenset({AGENT, OFFICER}),
        200,
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


def test_api_anonymous_refusal_asks_for_a_token(api_client_for):
    response = api_client_for(None).get("/api/v1/tickets/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


@pytest.mark.parametrize("role", [AGENT, OFFICER, SUPERVISOR, PRINT_DESK, PBX])
def test_every_role_can_obtain_an_api_token(role, users, api_client_for):
    response = api_client_for(None).post(
        "/api/v1/auth/token/",
        {"username": users[role].username, "password": PASSWORD},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["token"]


def test_api_token_is_refused_for_a_wrong_password(agent, api_client_for):
    response = api_client_for(None).post(
        "/api/v1/auth/token/", {"username": agent.username, "password": "wrong"}, format="json"
    )

    assert response.status_code == 400
    assert "token" not in response.json()


def test_agent_cannot_resolve_another_agents_open_ticket_through_the_api(
    agent, other_agent, api_client_for
):
    ticket = ticket_for(other_agent)

    response = api_client_for(agent).post(
        f"/api/v1/tickets/{ticket.reference}/resolve/",
        {"resolution_code": "answered"},
        format="json",
    )

    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == Status.OPEN


def test_officer_cannot_resolve_a_ticket_held_by_another_officer_through_the_api(
    agent, officer, other_officer, api_client_for
):
    ticket = held_by(other_officer, ticket_for(agent))

    response = api_client_for(officer).post(
        f"/api/v1/tickets/{ticket.reference}/resolve/",
        {"resolution_code": "answered"},
        format="json",
    )

    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == Status.ASSIGNED


# --- public endpoints -----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_api_schema_is_served_to_every_role(role, users, client, client_for):
    response = page_client(role, users, client, client_for).get("/api/schema/")

    assert response.status_code == 200
    assert b"/api/v1/tickets/{reference}/resolve/" in response.content


@pytest.mark.parametrize("role", ROLES)
def test_api_docs_are_served_to_every_role_without_a_cdn(role, users, client, client_for):
    response = page_client(role, users, client, client_for).get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
    assert b"cdn." not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_healthz_answers_every_role_with_the_database_up(role, users, client, client_for):
    from callcenter.tasks import heartbeat

    heartbeat()  # as beat's task does on a running worker
    response = page_client(role, users, client, client_for).get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "up"


# --- pages ----------------------------------------------------------------------------

PAGE_CASES = [
    Case("console", "get", "/console/", frozenset({AGENT}), 200, no_ticket),
    Case(
        "console",
        "post",
        "/console/",
        frozenset({AGENT}),
        302,
        no_ticket,
        {
            "caller_phone": "0912345678",
            "category": "other",
            "summary": "Hỏi giờ làm việc",
            "action": "resolve",
        },
        outcome=lands_on_the_new_ticket,
    ),
    Case(
        "caller history fragment",
        "post",
        "/console/history/",
        frozenset({AGENT, OFFICER}),
        200,
        data={"caller_phone": "0912345678"},
        writes=False,
    ),
    Case(
        "recent tickets fragment",
        "post",
        "/console/recent/",
        frozenset({AGENT}),
        200,
        data={"q": ""},
        writes=False,
    ),
    Case("incoming call fragment", "get", "/console/incoming/", frozenset({AGENT}), 200),
    Case("ticket list", "get", "/tickets/", STAFF, 200),
    Case("ticket detail", "get", "/tickets/{ref}/", STAFF, 200),
    Case(
        "escalate",
        "post",
        "/tickets/{ref}/escalate/",
        frozenset({AGENT}),
        302,
        data={"note": "Cần tra cứu hồ sơ"},
        outcome=lands_on_the_ticket,
    ),
    Case(
        "resolve",
        "post",
        "/tickets/{ref}/resolve/",
        frozenset({AGENT, OFFICER}),
        302,
        resolvable_ticket,
        {"resolution_code": "answered", "resolution_note": "Đã trả lời"},
        outcome=lands_on_the_ticket,
    ),
    Case(
        "reopen",
        "post",
        "/tickets/{ref}/reopen/",
        frozenset({AGENT, SUPERVISOR}),
        302,
        resolved_ticket,
        {"note": "Công dân gọi lại"},
        outcome=lands_on_the_ticket,
    ),
    Case(
        "notes",
        "post",
        "/tickets/{ref}/notes/",
        STAFF,
        302,
        data={"text": "Ghi chú nội bộ"},
        outcome=lands_on_the_ticket,
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


@pytest.mark.parametrize("url", ["escalate", "resolve", "reopen", "notes"])
def test_page_actions_refuse_get(url, agent, client_for):
    ticket = ticket_for(agent)

    response = client_for(agent).get(f"/tickets/{ticket.reference}/{url}/")

    assert response.status_code == 405


@pytest.mark.parametrize("role", [PRINT_DESK, PBX])
def test_refusal_page_is_the_products_own(role, users, client_for):
    response = client_for(users[role]).get("/tickets/")

    content = response.content.decode()
    assert response.status_code == 403
    assert SITE_NAME in content
    assert 'class="topbar"' in content
    assert 'href="/"' in content


def test_unknown_ticket_page_is_a_404_in_the_products_own_page(agent, client_for):
    response = client_for(agent).get("/tickets/2601-99999/")

    assert response.status_code == 404
    assert SITE_NAME in response.content.decode()


# --- landing and login ----------------------------------------------------------------

LANDINGS = {
    AGENT: "/console/",
    OFFICER: "/queue/",
    SUPERVISOR: "/dashboard/",
    PRINT_DESK: "/reprints/",
}


@pytest.mark.parametrize("role", ROLES)
def test_home_sends_each_role_to_its_landing_page(role, users, client, client_for):
    response = page_client(role, users, client, client_for).get("/")

    if role == ANONYMOUS:
        assert_redirects_to_login(response, "/")
    elif role in LANDINGS:
        assert response.status_code == 302
        assert response["Location"] == LANDINGS[role]
    else:
        assert response.status_code == 200
        assert users[role].username in response.content.decode()


@pytest.mark.parametrize("role", [AGENT, OFFICER, SUPERVISOR, PRINT_DESK, PBX])
def test_login_form_brings_each_role_to_its_landing_page(role, users, client):
    response = client.post(
        "/accounts/login/",
        {"username": users[role].username, "password": PASSWORD},
        follow=True,
    )

    assert response.status_code == 200
    final_url = response.redirect_chain[-1][0]
    assert final_url == LANDINGS.get(role, "/")
    assert response.wsgi_request.user == users[role]


def test_login_form_honours_next(agent, officer, client):
    ticket = ticket_for(agent)

    response = client.post(
        f"/accounts/login/?next={ticket.get_absolute_url()}",
        {"username": officer.username, "password": PASSWORD, "next": ticket.get_absolute_url()},
    )

    assert response.status_code == 302
    assert response["Location"] == ticket.get_absolute_url()


def test_login_form_refuses_a_wrong_password(agent, client):
    response = client.post("/accounts/login/", {"username": agent.username, "password": "nope"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_that_ends_the_session(agent, client_for):
    agent_client = client_for(agent)

    refused = agent_client.get("/accounts/logout/")
    assert refused.status_code == 405
    assert agent_client.get("/console/").status_code == 200

    response = agent_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert_redirects_to_login(agent_client.get("/console/"), "/console/")
