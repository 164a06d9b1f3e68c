"""Record corrections in a real browser (issue 15): an officer files a correction from
the ticket page; the supervisor builds the lists and downloads the unit's list."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from callcenter.demo_users import DEMO_PASSWORD, demo_users_create
from corrections.models import CorrectionList, CorrectionRequest
from tests.citizens.factories import application as card_application
from tests.factories import escalated_ticket
from tests.reprints.test_reprint_api import celery_eager
from tests.tickets.test_claim import held_by
from tickets import services as ticket_services
from tickets.models import Status, Ticket

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
UNIT = "Công an phường Hoàn Kiếm"


@pytest.fixture
def eager_tasks():
    """The supervisor's build runs in-process, not queued for a worker."""
    with celery_eager():
        yield


def test_officer_files_a_correction_and_the_supervisor_downloads_the_list(
    page, browser, live_server, screenshot, eager_tasks
):
    demo_users_create()
    users = get_user_model().objects
    agent, officer = users.get(username="agent1"), users.get(username="officer1")
    card = card_application(
        "Trần Văn Năm", application_number="2022001000000088", cccd_number="001004000088",
        receiving_unit=UNIT,
    )  # fmt: skip
    ticket = held_by(officer, escalated_ticket(agent))
    ticket_services.ticket_link_application(
        ticket=ticket, actor=officer, application_number=card.application_number
    )

    log_in(page, live_server, "officer1", DEMO_PASSWORD)
    page.wait_for_url("**/queue/")
    page.goto(f"{live_server.url}{ticket.get_absolute_url()}")
    form = page.locator("#correction-form")
    form.locator("#correction-field").select_option("date_of_birth")
    form.locator("#correction-value").fill("2004-13-01")  # no 13th month
    form.locator("#correction-evidence").fill("Giấy khai sinh, cha mẹ đọc qua điện thoại")
    screenshot(page, "correction-form-vi")
    form.locator("#request-correction").click()
    page.wait_for_load_state()
    assert "2004-13-01" in page.content()  # the refusal names the value
    assert not CorrectionRequest.objects.exists()

    form.locator("#correction-field").select_option("date_of_birth")
    form.locator("#correction-value").fill("2004-03-02")
    form.locator("#correction-evidence").fill("Giấy khai sinh, cha mẹ đọc qua điện thoại")
    form.locator("#request-correction").click()
    page.locator("#correction-requests").wait_for()
    assert "2004-03-02" in page.locator("#correction-requests").inner_text()
    screenshot(page, "correction-filed-vi")
    assert Ticket.objects.get(pk=ticket.pk).status == Status.AWAITING_CORRECTION

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    try:
        boss = context.new_page()
        boss.set_default_timeout(10_000)
        log_in(boss, live_server, "supervisor1", DEMO_PASSWORD)
        boss.wait_for_url("**/dashboard/")
        boss.goto(f"{live_server.url}/corrections/")
        boss.locator("#run-lists").click()
        boss.locator("#lists").get_by_role("link", name="#1").wait_for()
        correction_list = CorrectionList.objects.get()
        assert correction_list.receiving_unit == UNIT
        screenshot(boss, "correction-lists-vi")
        boss.locator("#lists").get_by_role("link", name="#1").click()
        boss.wait_for_url("**/corrections/1/")
        with boss.expect_download() as started:
            boss.locator("#download-csv").click()
        download = started.value
        assert download.suggested_filename == "correction-list-1.csv"
        exported = Path(download.path()).read_text(encoding="utf-8-sig")
        assert card.application_number in exported and "2004-03-02" in exported
        assert ticket.reference in exported
        screenshot(boss, "correction-list-vi")
    finally:
        context.close()
