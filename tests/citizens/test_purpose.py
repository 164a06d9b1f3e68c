"""Purpose-bound look-ups (SPEC §9, issue 14): a search or an opened application names
a ticket the officer holds or has held, or a written purpose of at least 10 characters;
without either, a 400 naming `purpose`, on the page and in the API."""

import pytest

from citizens.models import RecordAccess
from tests.factories import escalated_ticket
from tickets import services

from .factories import application

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/applications/"


@pytest.fixture
def citizen():
    return application(full_name="Nguyễn Văn An", cccd_number="001090012345")


@pytest.mark.parametrize("purpose", [None, "", "   short  "])
def test_api_search_without_a_purpose_is_400_naming_purpose(
    api_client_for, officer, citizen, purpose
):
    params = {"cccd_number": citizen.cccd_number}
    if purpose is not None:
        params["purpose"] = purpose

    response = api_client_for(officer).get(SEARCH, params)

    assert response.status_code == 400 and "purpose" in response.json()
    assert not RecordAccess.objects.exists()


def test_page_search_and_opening_without_a_purpose_are_400(client_for, officer, citizen):
    client = client_for(officer)
    search = client.post("/records/search/", {"cccd_number": citizen.cccd_number})
    opened = client.get(f"/records/applications/{citizen.application_number}/")
    api_opened = client.get(f"{SEARCH}{citizen.application_number}/")

    assert search.status_code == opened.status_code == api_opened.status_code == 400
    assert "purpose" in api_opened.json()
    assert not RecordAccess.objects.exists()


def test_a_written_purpose_is_logged(api_client_for, officer, citizen):
    purpose = "Thư của công dân ngày 01/12"
    response = api_client_for(officer).get(
        SEARCH, {"cccd_number": citizen.cccd_number, "purpose": purpose}
    )
    assert response.status_code == 200
    assert RecordAccess.objects.get().purpose == purpose


def test_a_ticket_the_officer_does_not_hold_is_refused(
    api_client_for, agent, officer, other_officer, citizen
):
    ticket = services.ticket_claim(ticket=escalated_ticket(agent), actor=other_officer)
    unheld = escalated_ticket(agent)

    for reference in (ticket.reference, unheld.reference, "2611-99999"):
        response = api_client_for(officer).get(
            SEARCH, {"cccd_number": citizen.cccd_number, "ticket": reference}
        )
        assert response.status_code == 400 and "ticket" in response.json()
    assert not RecordAccess.objects.exists()


def test_a_ticket_held_now_or_before_is_a_purpose(api_client_for, agent, officer, citizen):
    ticket = services.ticket_claim(ticket=escalated_ticket(agent), actor=officer)
    client = api_client_for(officer)
    params = {"cccd_number": citizen.cccd_number, "ticket": ticket.reference}

    assert client.get(SEARCH, params).status_code == 200
    services.ticket_release(ticket=ticket, actor=officer)
    assert client.get(SEARCH, params).status_code == 200
    opened = client.get(f"{SEARCH}{citizen.application_number}/", {"ticket": ticket.reference})
    assert opened.status_code == 200
    assert set(RecordAccess.objects.values_list("ticket_reference", flat=True)) == {
        ticket.reference
    }
