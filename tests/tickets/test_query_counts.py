"""Query counts of the busy pages and endpoints, pinned so an N+1 cannot creep in.

Each test measures a request, doubles the rows it shows and measures again: the
count must stay the same, and must not exceed the pinned number.
"""

import datetime

import pytest
from django.utils import timezone

from callcenter.roles import AGENT, OFFICER
from tests.conftest import make_user
from tests.factories import ticket_for
from tickets import services
from tickets.models import Call, Status, Ticket

PHONE = "+84912345678"

# Pinned query counts, measured on PostgreSQL. Each includes authentication (the
# session and user, or the token) and the two permission look-ups; a page also
# updates its session's row (sessions are in the database: SAVEPOINT, UPDATE and
# RELEASE inside a test's transaction, one UPDATE in production).
API_LIST = 5
API_DETAIL = 7
API_CALLER_HISTORY = 5
CONSOLE = 10
HISTORY_FRAGMENT = 7
LIST_PAGE = 7
DETAIL_PAGE = 9


@pytest.fixture
def people(db):
    """Several agents and officers, so related rows point at different users."""
    agents = [make_user(f"qc_agent_{i}", AGENT) for i in range(3)]
    officers = [make_user(f"qc_officer_{i}", OFFICER) for i in range(3)]
    return agents, officers


@pytest.fixture
def count_queries(django_assert_max_num_queries):
    """Run a request once to warm up, then return how many queries it takes."""

    def count(limit, fetch):
        assert fetch().status_code == 200
        with django_assert_max_num_queries(limit) as captured:
            response = fetch()
        assert response.status_code == 200
        return len(captured)

    return count


def busy_tickets(people, n, *, phone=PHONE, created_by=None):
    """n tickets with a note, two calls and an assignee each, spread over the users."""
    agents, officers = people
    tickets = []
    for i in range(n):
        agent = created_by or agents[i % len(agents)]
        ticket = ticket_for(agent, phone=phone)
        services.note_add(ticket=ticket, actor=officers[i % len(officers)], text=f"note {i}")
        add_call(ticket, agents[(i + 1) % len(agents)])
        Ticket.objects.filter(pk=ticket.pk).update(
            status=Status.ASSIGNED, assignee=officers[i % len(officers)]
        )
        tickets.append(ticket)
    return tickets


def add_call(ticket, agent, *, phone=None):
    start = timezone.now() - datetime.timedelta(minutes=5)
    return Call.objects.create(
        ticket=ticket,
        caller_phone=phone or ticket.caller_phone,
        agent=agent,
        started_at=start,
        answered_at=start,
        ended_at=start + datetime.timedelta(minutes=3),
    )


def enrich(ticket, people, n, label):
    """n more notes, calls and history events on one ticket, by different users."""
    agents, officers = people
    for i in range(n):
        author = officers[i % len(officers)]
        services.note_add(ticket=ticket, actor=author, text=f"{label} note {i}")
        add_call(ticket, agents[i % len(agents)])


# --- API ------------------------------------------------------------------------------


def test_api_ticket_list_query_count_is_fixed(agent, people, api_client_for, count_queries):
    client = api_client_for(agent)
    fetch = lambda: client.get("/api/v1/tickets/?page_size=200")  # noqa: E731

    busy_tickets(people, 30)
    small = count_queries(API_LIST, fetch)
    busy_tickets(people, 30)
    large = count_queries(API_LIST, fetch)

    assert len(fetch().json()["results"]) == 50  # the page size cap (callcenter.api)
    assert large == small


def test_api_ticket_detail_query_count_is_fixed(agent, people, api_client_for, count_queries):
    ticket = ticket_for(agent)
    client = api_client_for(agent)
    fetch = lambda: client.get(f"/api/v1/tickets/{ticket.reference}/")  # noqa: E731

    enrich(ticket, people, 5, "first")
    small = count_queries(API_DETAIL, fetch)
    enrich(ticket, people, 5, "second")
    large = count_queries(API_DETAIL, fetch)

    body = fetch().json()
    assert (len(body["notes"]), len(body["calls"])) == (10, 11)
    assert large == small


def test_api_caller_history_query_count_is_fixed(agent, people, api_client_for, count_queries):
    client = api_client_for(agent)
    fetch = lambda: client.get(f"/api/v1/callers/{PHONE}/history/")  # noqa: E731

    busy_tickets(people, 4)
    small = count_queries(API_CALLER_HISTORY, fetch)
    busy_tickets(people, 4)
    large = count_queries(API_CALLER_HISTORY, fetch)

    assert len(fetch().json()["tickets"]) == 8
    assert large == small


# --- pages ----------------------------------------------------------------------------


def test_console_query_count_is_fixed(agent, people, client_for, count_queries):
    client = client_for(agent)
    fetch = lambda: client.get("/console/")  # noqa: E731

    busy_tickets(people, 20, created_by=agent)
    small = count_queries(CONSOLE, fetch)
    newest = busy_tickets(people, 20, created_by=agent)[-1]
    large = count_queries(CONSOLE, fetch)

    assert newest.reference in fetch().content.decode()

    assert large == small


def test_history_fragment_query_count_is_fixed(agent, people, client_for, count_queries):
    client = client_for(agent)
    fetch = lambda: client.post("/console/history/", {"caller_phone": "0912345678"})  # noqa: E731

    tickets = busy_tickets(people, 4)
    small = count_queries(HISTORY_FRAGMENT, fetch)
    tickets += busy_tickets(people, 4)
    large = count_queries(HISTORY_FRAGMENT, fetch)

    content = fetch().content.decode()
    assert all(ticket.reference in content for ticket in tickets)
    assert large == small


def test_ticket_list_page_query_count_is_fixed(officer, people, client_for, count_queries):
    client = client_for(officer)
    fetch = lambda: client.get("/tickets/")  # noqa: E731

    tickets = busy_tickets(people, 12)
    small = count_queries(LIST_PAGE, fetch)
    tickets += busy_tickets(people, 12)
    large = count_queries(LIST_PAGE, fetch)

    content = fetch().content.decode()
    assert all(ticket.reference in content for ticket in tickets)
    assert "qc_officer_2" in content
    assert large == small


def test_ticket_detail_page_query_count_is_fixed(agent, officer, people, client_for, count_queries):
    ticket = ticket_for(agent)
    client = client_for(officer)
    fetch = lambda: client.get(ticket.get_absolute_url())  # noqa: E731

    enrich(ticket, people, 5, "first")
    small = count_queries(DETAIL_PAGE, fetch)
    enrich(ticket, people, 5, "second")
    large = count_queries(DETAIL_PAGE, fetch)

    content = fetch().content.decode()
    assert all(f"{label} note {i}" in content for label in ("first", "second") for i in range(5))
    assert large == small
