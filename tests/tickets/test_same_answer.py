"""The same bad input gets the same answer from the agent console and from
POST /api/v1/tickets/: the same field, the same message, and nothing logged."""

import datetime

import pytest
from django.utils import timezone

from tickets.models import Call, Ticket

GOOD = {"caller_phone": "0912 345 678", "category": "delayed_card", "summary": "Chưa có thẻ"}


def _iso(delta: datetime.timedelta) -> str:
    return (timezone.now() + delta).isoformat()


BAD_INPUT = [
    pytest.param({"cccd_number": "12345"}, "cccd_number", id="cccd-too-short"),
    pytest.param({"cccd_number": "999090012345"}, "cccd_number", id="cccd-unknown-province"),
    pytest.param(
        {"cccd_number": "001095012345", "date_of_birth": "1990-05-17"},
        "cccd_number",
        id="cccd-disagrees-with-birth-year",
    ),
    pytest.param(
        {"cccd_number": "001290012345", "date_of_birth": "1990-05-17"},
        "cccd_number",
        id="cccd-century-digit-of-the-2000s-for-1990",
    ),
    pytest.param({"old_id_number": "12345"}, "old_id_number", id="old-id-too-short"),
    pytest.param({"date_of_birth": "2999-01-01"}, "date_of_birth", id="born-in-the-future"),
    pytest.param({"application_date": "2999-01-01"}, "application_date", id="applied-in-future"),
    pytest.param(
        {"date_of_birth": "2000-01-01", "application_date": "1999-12-31"},
        "application_date",
        id="applied-before-birth",
    ),
    pytest.param(
        {"call_started_at": _iso(datetime.timedelta(hours=2))},
        "call_started_at",
        id="call-starts-in-the-future",
    ),
    pytest.param(
        {"call_started_at": _iso(-datetime.timedelta(days=40))},
        "call_started_at",
        id="call-started-40-days-ago",
    ),
]


@pytest.mark.parametrize(("bad", "field"), BAD_INPUT)
def test_console_and_api_give_the_same_field_and_message(
    bad, field, agent, client_for, api_client_for
):
    page = client_for(agent).post("/console/", {**GOOD, **bad, "action": "resolve"})
    api = api_client_for(agent).post("/api/v1/tickets/", {**GOOD, **bad}, format="json")

    assert page.status_code == 400
    assert api.status_code == 400
    page_messages = list(page.context["form"].errors[field])
    assert page_messages, page.context["form"].errors
    assert api.json()[field] == page_messages
    assert not Ticket.objects.exists()
    assert not Call.objects.exists()


def test_console_shows_a_refused_call_start_and_lets_the_call_be_logged_again(agent, client_for):
    client = client_for(agent)
    future = _iso(datetime.timedelta(hours=2))
    page = client.post("/console/", {**GOOD, "call_started_at": future, "action": "resolve"})
    html = page.content.decode()
    assert 'id="err-call_started_at"' in html
    # The page set the start, not the agent: the form comes back without it.
    assert future not in html
    again = client.post("/console/", {**GOOD, "action": "resolve"})
    assert again.status_code == 302
    assert Ticket.objects.count() == 1
