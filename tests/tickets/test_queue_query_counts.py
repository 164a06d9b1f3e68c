"""Query counts of the officer queue and the officer's ticket page, pinned so an N+1
cannot creep in: each test measures a request, doubles the rows it shows and measures
again; the count must stay the same and must not exceed the pinned number."""

import pytest

from callcenter.roles import AGENT, OFFICER
from citizens.models import ApplicationStatus
from tests.citizens.factories import application as card_application
from tests.conftest import make_user
from tests.factories import escalated_ticket
from tickets import services

# Pinned query counts, measured on PostgreSQL (permissions come from the cache).
# API queue: token with user, count, page. Queue page: session, user, count, role
# groups, queue page, "my tickets". Ticket page: session, user, ticket with the linked
# application, notes, calls, history, role groups, and the access-log row for the
# application shown (an insert inside a savepoint: three).
API_QUEUE = 3
QUEUE_PAGE = 7  # with the SLA targets
# With the SLA targets; the linked application opened for a held ticket (the held check)
# and the access-log rows of the opening and of the identity shown.
OFFICER_TICKET_PAGE = 13


@pytest.fixture
def people(db):
    """Several agents and officers, so related rows point at different users."""
    agents = [make_user(f"qq_agent_{i}", AGENT) for i in range(3)]
    officers = [make_user(f"qq_officer_{i}", OFFICER) for i in range(3)]
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


def queued(people, n):
    """n escalated tickets logged by different agents."""
    agents, _ = people
    return [escalated_ticket(agents[i % len(agents)]) for i in range(n)]


def held(people, officer, n):
    """n tickets the officer holds, logged by different agents."""
    return [services.ticket_claim(ticket=t, actor=officer) for t in queued(people, n)]


def test_api_queue_query_count_is_fixed(officer, people, api_client_for, count_queries):
    client = api_client_for(officer)
    fetch = lambda: client.get("/api/v1/queue/?page_size=200")  # noqa: E731

    queued(people, 15)
    small = count_queries(API_QUEUE, fetch)
    queued(people, 15)
    large = count_queries(API_QUEUE, fetch)

    assert fetch().json()["count"] == 30
    assert large == small


def test_queue_page_query_count_is_fixed(officer, people, client_for, count_queries):
    client = client_for(officer)
    fetch = lambda: client.get("/queue/")  # noqa: E731

    tickets = queued(people, 10) + held(people, officer, 5)
    small = count_queries(QUEUE_PAGE, fetch)
    tickets += queued(people, 10) + held(people, officer, 5)
    large = count_queries(QUEUE_PAGE, fetch)

    content = fetch().content.decode()
    assert all(ticket.reference in content for ticket in tickets)
    assert large == small


def test_officer_ticket_page_with_a_linked_application_query_count_is_fixed(
    agent, officer, people, client_for, count_queries
):
    ticket = services.ticket_claim(ticket=escalated_ticket(agent), actor=officer)
    application = card_application(status=ApplicationStatus.DISPATCHED)
    services.ticket_link_application(
        ticket=ticket, actor=officer, application_number=application.application_number
    )
    client = client_for(officer)
    fetch = lambda: client.get(ticket.get_absolute_url())  # noqa: E731

    agents, officers = people
    for i in range(3):
        services.note_add(ticket=ticket, actor=officers[i], text=f"first note {i}")
    small = count_queries(OFFICER_TICKET_PAGE, fetch)
    for i in range(3):
        services.note_add(ticket=ticket, actor=agents[i], text=f"second note {i}")
    large = count_queries(OFFICER_TICKET_PAGE, fetch)

    content = fetch().content.decode()
    assert application.application_number in content
    assert 'class="record-search"' in content
    assert all(f"{label} note {i}" in content for label in ("first", "second") for i in range(3))
    assert large == small
