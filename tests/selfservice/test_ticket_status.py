"""POST /api/v1/public/ticket-status/ and /tra-cuu/phieu/: a ticket by reference + phone."""

import json

import pytest

from citizens.models import RecordAccess
from tests.factories import ticket_for

URL = "/api/v1/public/ticket-status/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(agent):
    return ticket_for(agent, phone="+84912345678", identity={"caller_name": "Phạm Văn Bình"})


def test_reference_and_phone_give_the_status(public_api, ticket):
    body = public_api.post(
        URL, {"reference": ticket.reference, "phone": "0912345678"}, format="json"
    ).json()
    assert set(body) == {"found", "status", "status_label", "updated_at", "resolution_label"}
    assert body["found"] is True and body["status"] == ticket.status
    assert "Phạm" not in json.dumps(body) and "summary" not in body


@pytest.mark.parametrize(
    "data",
    [
        {"reference": "2611-99999", "phone": "0912345678"},
        {"phone": "0987654321"},
    ],
)
def test_a_wrong_reference_or_phone_is_not_found(public_api, ticket, data):
    data.setdefault("reference", ticket.reference)
    response = public_api.post(URL, data, format="json")
    assert response.json() == {"found": False}
    assert RecordAccess.objects.get().outcome == "not_found"


@pytest.mark.parametrize(
    ("data", "field"),
    [({"reference": "abc", "phone": "0912345678"}, "reference"),
     ({"reference": "2611-00001", "phone": "hello"}, "phone")],
)  # fmt: skip
def test_bad_input_names_the_field(public_api, data, field):
    response = public_api.post(URL, data, format="json")
    assert response.status_code == 400 and field in response.json()


def test_ticket_page_shows_the_status(client, ticket):
    page = client.post("/tra-cuu/phieu/", {"reference": ticket.reference, "phone": "0912345678"})
    assert page.status_code == 200
    result = page.content.decode().split('id="result"')[1]
    assert str(ticket.get_status_display()) in result
    assert "Phạm" not in result
