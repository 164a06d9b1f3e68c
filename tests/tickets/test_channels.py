"""Tickets from Zalo, Facebook, e-mail and walk-ins, each with its own contact."""

import pytest

from callcenter.roles import PBX
from tests.conftest import make_user
from tickets.models import Call, Ticket

pytestmark = pytest.mark.django_db
URL = "/api/v1/tickets/"
BASE = {"category": "other", "summary": "Hỏi thủ tục cấp đổi"}


@pytest.fixture
def pbx(db):
    return make_user("pbx_gateway", PBX)


@pytest.mark.parametrize(
    ("channel", "given", "stored_contact"),
    [
        ("zalo", {"contact": "4012345678901234567"}, "4012345678901234567"),
        ("facebook", {"contact": "27123456789012345"}, "27123456789012345"),
        ("email", {"contact": " Nguyen.An@Example.VN "}, "nguyen.an@example.vn"),
        ("walk_in", {"caller_name": "Nguyễn Văn An"}, ""),
    ],
)
def test_each_channel_logs_a_ticket_with_its_contact(
    channel, given, stored_contact, pbx, api_client_for
):
    response = api_client_for(pbx).post(URL, {**BASE, "channel": channel, **given}, format="json")

    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(reference=response.json()["reference"])
    assert (ticket.channel, ticket.contact, ticket.created_by) == (channel, stored_contact, pbx)
    assert response.json()["contact"] == stored_contact
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"channel": "zalo"}, "contact"),
        ({"channel": "zalo", "contact": "abc"}, "contact"),
        ({"channel": "facebook", "contact": "12"}, "contact"),
        ({"channel": "email", "contact": "not-an-address"}, "contact"),
        ({"channel": "walk_in"}, "caller_name"),
        ({"channel": "walk_in", "caller_name": "An", "contact": "x@y.vn"}, "contact"),
        ({"channel": "phone"}, "caller_phone"),
        ({"channel": "phone", "caller_phone": "0912345678", "contact": "1234567"}, "contact"),
        ({"channel": "email", "contact": "a@b.vn", "call_id": "c-1"}, "call_id"),
        ({"channel": "fax", "contact": "1"}, "channel"),
    ],
)
def test_a_channel_without_its_contact_is_refused(payload, field, agent, api_client_for):
    response = api_client_for(agent).post(URL, {**BASE, **payload}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Ticket.objects.exists()


def test_the_pbx_user_cannot_log_phone_calls_as_tickets(pbx, api_client_for):
    response = api_client_for(pbx).post(
        URL, {**BASE, "channel": "phone", "caller_phone": "0912345678"}, format="json"
    )
    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_caller_history_spans_channels_when_the_phone_is_known(agent, pbx, api_client_for):
    api_client_for(pbx).post(
        URL,
        {**BASE, "channel": "zalo", "contact": "4012345678901234567",
         "caller_phone": "0912 345 678"},
        format="json",
    )  # fmt: skip
    api_client_for(agent).post(
        URL, {**BASE, "channel": "phone", "caller_phone": "0912345678"}, format="json"
    )

    history = api_client_for(agent).get("/api/v1/callers/0912345678/history/").json()

    assert sorted(t["channel"] for t in history["tickets"]) == ["phone", "zalo"]
