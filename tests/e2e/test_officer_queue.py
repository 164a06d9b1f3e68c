import datetime

import pytest
from django.contrib.auth import get_user_model

from callcenter.demo_users import DEMO_PASSWORD, demo_users_create
from citizens.models import ApplicationStatus
from tests.citizens.factories import application
from tests.factories import escalated_ticket
from tickets.models import ResolutionCode, Status

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
UNIT = "Công an quận Cầu Giấy - Hà Nội"


def test_officer_claims_the_oldest_ticket_finds_the_citizen_links_and_resolves(
    page, live_server, screenshot
):
    demo_users_create()
    agent = get_user_model().objects.get(username="agent1")
    born = datetime.date(1990, 5, 2)
    citizen = application(
        "Nguyễn Văn An",
        application_number="2022001000000042",
        date_of_birth=born,
        status=ApplicationStatus.DISPATCHED,
        receiving_unit=UNIT,
        approved_on=datetime.date(2022, 3, 3),
        printing_on=datetime.date(2022, 3, 5),
        printed_on=datetime.date(2022, 3, 7),
        dispatched_on=datetime.date(2022, 3, 10),
    )
    application(
        "Nguyễn Văn An",
        application_number="2022001000000043",
        date_of_birth=datetime.date(1991, 5, 2),
        status=ApplicationStatus.DELIVERED,
        receiving_unit=UNIT,
    )
    oldest = escalated_ticket(
        agent, identity={"caller_name": "Nguyễn Văn An", "date_of_birth": born}
    )
    escalated_ticket(agent, phone="+84987654321", summary="Hỏi tiến độ")

    log_in(page, live_server, "officer1", DEMO_PASSWORD)
    page.wait_for_url("**/queue/")
    first_row = page.locator("#queue tbody tr").first
    assert oldest.reference in first_row.inner_text()
    screenshot(page, "queue-vi")
    first_row.get_by_role("button").click()

    page.wait_for_url(f"**/tickets/{oldest.reference}/")
    results = page.locator("#search-results")
    results.locator("article").first.wait_for()
    # The search ran at once from the ticket's name and date of birth: only the namesake
    # born that day is found.
    assert results.locator("article").count() == 1
    assert citizen.cccd_number in results.inner_text()
    screenshot(page, "officer-ticket-vi")
    results.get_by_role("button").click()

    page.locator(".linked").wait_for()
    assert page.locator("#id_resolution_code").input_value() == ResolutionCode.CARD_AT_LOCAL_POLICE
    page.locator("form[action$='/resolve/'] button[type=submit]").click()
    page.locator("#ticket-status").get_by_text("Đã giải quyết").wait_for()

    oldest.refresh_from_db()
    assert oldest.status == Status.RESOLVED
    assert oldest.linked_application == citizen
    assert oldest.resolution_code == ResolutionCode.CARD_AT_LOCAL_POLICE
    assert "Cầu Giấy" in oldest.resolution_note
