"""Holes a security review found (issue 14), each with the answer it gets now."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ticket_for
from tickets.models import Status, Ticket

pytestmark = pytest.mark.django_db
TICKETS = "/api/v1/tickets/"
NEW = {"caller_phone": "0912 345 678", "category": "delayed_card", "summary": "Chưa có thẻ"}


def test_pbx_cannot_create_an_already_resolved_ticket(api_client_for, pbx):
    body = {**NEW, "channel": "zalo", "contact": "123456789", "resolve_now": True}

    response = api_client_for(pbx).post(TICKETS, body, format="json")

    assert response.status_code == 403 and response.json()["detail"]
    assert not Ticket.objects.exists()


def test_pbx_still_creates_an_open_channel_ticket(api_client_for, pbx):
    body = {**NEW, "channel": "zalo", "contact": "123456789"}
    assert api_client_for(pbx).post(TICKETS, body, format="json").status_code == 201


def test_a_retried_create_with_the_same_idempotency_key_returns_the_first(api_client_for, agent):
    client = api_client_for(agent)
    key = str(uuid.uuid4())

    first = client.post(TICKETS, NEW, format="json", HTTP_IDEMPOTENCY_KEY=key)
    second = client.post(TICKETS, NEW, format="json", HTTP_IDEMPOTENCY_KEY=key)
    other = client.post(TICKETS, NEW, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))

    assert first.status_code == second.status_code == 201
    assert second.json()["reference"] == first.json()["reference"]
    assert second["Idempotent-Replayed"] == "true"
    assert other.json()["reference"] != first.json()["reference"]
    assert Ticket.objects.count() == 2


def test_an_idempotency_key_is_per_user(api_client_for, agent, other_agent):
    key = str(uuid.uuid4())
    a = api_client_for(agent).post(TICKETS, NEW, format="json", HTTP_IDEMPOTENCY_KEY=key)
    b = api_client_for(other_agent).post(TICKETS, NEW, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert a.json()["reference"] != b.json()["reference"]


@pytest.mark.parametrize("key", ["short", "x" * 101, "bad key!", "k\x00" * 5])
def test_a_malformed_idempotency_key_is_a_400(api_client_for, agent, key):
    response = api_client_for(agent).post(TICKETS, NEW, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400 and "idempotency_key" in response.json()
    assert not Ticket.objects.exists()


def test_a_double_submission_of_the_console_form_creates_one_ticket(client_for, agent):
    client = client_for(agent)
    page = client.get("/console/")
    key = page.context["idempotency_key"]
    form = {**NEW, "action": "resolve", "idempotency_key": key}

    first = client.post("/console/", form)
    second = client.post("/console/", form)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Ticket.objects.count() == 1
    assert Ticket.objects.get().status == Status.RESOLVED


@pytest.mark.parametrize("query", ["?created=2611-0\x0001", "?added=\x00", "?created=zzz"])
def test_console_ignores_a_malformed_reference_in_its_query(client_for, agent, query):
    response = client_for(agent).get("/console/" + query)
    assert response.status_code == 200


def test_console_recent_search_refuses_a_nul_byte(client_for, agent):
    ticket_for(agent)
    client = client_for(agent)
    response = client.post("/console/recent/", {"q": "09\x0012"})
    assert response.status_code == 400


def test_api_pages_are_capped_at_50(api_client_for, supervisor, agent):
    for _ in range(3):
        ticket_for(agent)
    response = api_client_for(supervisor).get(TICKETS, {"page_size": 10_000})
    assert response.status_code == 200
    from callcenter.api import Pagination

    assert Pagination.max_page_size == 50


def test_pages_and_api_answers_are_not_stored_by_caches(api_client_for, client_for, agent):
    ticket = ticket_for(agent)
    assert api_client_for(agent).get(TICKETS)["Cache-Control"] == "no-store"
    page = client_for(agent).get(f"/tickets/{ticket.reference}/")
    assert "no-store" in page["Cache-Control"]


def test_no_query_reaches_the_database_with_a_nul(client_for, agent):
    client = client_for(agent)
    with CaptureQueriesContext(connection) as queries:
        client.get("/console/?created=2611-\x0000001")
    assert not any("\x00" in str(q["sql"]) for q in queries)


def test_ticket_list_filters_are_posted_and_kept_under_an_opaque_id(client_for, agent):
    mine = ticket_for(agent, phone="+84912345678")
    ticket_for(agent, phone="+84987654321")
    client = client_for(agent)

    response = client.post("/tickets/", {"caller_phone": "0912 345 678"})

    location = response["Location"]
    assert response.status_code == 302 and location.startswith("/tickets/?s=")
    assert "912" not in location
    page = client.get(location)
    assert [t.reference for t in page.context["page"]] == [mine.reference]
    assert page.context["query"] == location.split("?", 1)[1]


def test_an_unknown_search_id_lists_unfiltered(client_for, agent):
    ticket_for(agent)
    page = client_for(agent).get("/tickets/?s=nope")
    assert page.status_code == 200 and len(page.context["page"]) == 1
