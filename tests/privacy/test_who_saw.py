""" "Who looked at this citizen, when, why" from one page (issue 14): searches and
openings with their ticket or purpose, the print desk's batch pages and exports, and
tickets shown with full identity."""

import pytest

from citizens.models import RecordAccess
from tests.factories import ticket_for
from tests.reprints.test_reprint_api import built_batch

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["json-containment", "json-text"])
def json_containment(request, monkeypatch):
    """Both ways holdings._shown_in finds a value in a stored list: PostgreSQL's JSON
    containment, and the JSON text search SQLite (`make run`) needs, which had a look-up
    of a person with data on file answer 500 there."""
    from django.db import connection

    if request.param and not connection.features.supports_json_field_contains:
        pytest.skip("this database has no JSON containment")  # only when run on SQLite
    monkeypatch.setattr(connection.features, "supports_json_field_contains", request.param)


def listed():
    return list(RecordAccess.objects.filter(action="list").values_list("user__username", "query"))


def test_print_desk_batch_page_and_exports_are_in_the_access_log(
    client_for, api_client_for, agent, officer, print_desk, supervisor, json_containment
):
    batch, tickets = built_batch(agent, officer)
    number = tickets[0].linked_application.application_number
    client = client_for(print_desk)

    assert client.get(f"/reprints/{batch.number}/").status_code == 200
    assert client.get(f"/reprints/{batch.number}/export.csv").status_code == 200
    api = api_client_for(print_desk)
    assert api.get(f"/api/v1/reprint-batches/{batch.number}/export.xlsx").status_code == 200

    rows = listed()
    assert len(rows) == 3
    assert all(user == print_desk.username and query["applications"] == [number]
               for user, query in rows)  # fmt: skip
    cccd = tickets[0].linked_application.cccd_number
    held = client_for(supervisor).post("/privacy/personal-data/", {"id_number": cccd})
    lookups = held.context["held"]["lookups"]
    assert [a["user"] for a in lookups if a["action"] == "list"] == [print_desk.username] * 3


def test_tickets_shown_with_full_identity_are_logged(
    api_client_for, client_for, agent, supervisor, json_containment
):
    ticket = ticket_for(agent, identity={"caller_name": "Nguyễn Văn An"})
    plain = ticket_for(agent)

    api_client_for(supervisor).get("/api/v1/tickets/")
    client_for(supervisor).get(f"/tickets/{ticket.reference}/")
    api_client_for(agent).get("/api/v1/tickets/")  # masked for agents: nothing to log

    rows = listed()
    assert [q["tickets"] for _, q in rows] == [[ticket.reference], [ticket.reference]]
    assert plain.reference not in str(rows)
    held = api_client_for(supervisor).get("/api/v1/personal-data/", {"phone": "0912345678"}).json()
    assert {a["user"] for a in held["lookups"]} == {supervisor.username}
