"""The print desk in a real browser (issue 4): `printdesk1` downloads a batch and marks
it printed; the officer who asked for the reprint sees the ticket resolved."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from callcenter.demo_users import DEMO_PASSWORD, demo_users_create
from citizens.models import ApplicationStatus
from reprints import services
from reprints.models import Reason, ReprintBatch, SmsMessage
from tests.citizens.factories import application as card_application
from tests.factories import escalated_ticket
from tests.reprints.test_reprint_api import celery_eager
from tests.tickets.test_claim import held_by, reload
from tickets import services as ticket_services
from tickets.models import ResolutionCode, Status

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eager_tasks():
    """The caller's SMS is sent in-process after the mark, not queued for a worker."""
    with celery_eager():
        yield


def test_print_desk_downloads_a_batch_marks_it_printed_and_the_officer_sees_it_resolved(
    page, browser, live_server, screenshot, eager_tasks
):
    demo_users_create()
    users = get_user_model().objects
    agent, officer = users.get(username="agent1"), users.get(username="officer1")
    card = card_application(
        "Lê Thị Hoa",
        application_number="2022001000000077",
        status=ApplicationStatus.PRINTING,
        cccd_number="001185000077",
    )
    ticket = held_by(officer, escalated_ticket(agent))
    ticket_services.ticket_link_application(
        ticket=ticket, actor=officer, application_number=card.application_number
    )
    services.reprint_request(ticket=reload(ticket), actor=officer, reason=Reason.SLOW_PRINTING)
    batch = services.batch_build()

    log_in(page, live_server, "printdesk1", DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/reprints/")
    page.locator("#batches").get_by_role("link", name=f"#{batch.number}").click()
    page.wait_for_url(f"**/reprints/{batch.number}/")
    items = page.locator("#items tbody tr")
    assert items.count() == 1
    assert card.application_number in items.inner_text()
    assert ticket.reference in items.inner_text()
    screenshot(page, "print-desk-batch-vi")

    with page.expect_download() as started:
        page.locator("#download-csv").click()
    download = started.value
    assert download.suggested_filename == f"reprint-batch-{batch.number}.csv"
    exported = Path(download.path()).read_text(encoding="utf-8-sig")
    assert card.application_number in exported
    assert "Lê Thị Hoa" in exported

    page.locator("#mark-batch-printed").click()
    page.locator("#batch-status.b-done").wait_for()
    assert page.locator("#mark-batch-printed").count() == 0
    assert page.locator("#items form.mark-form").count() == 0

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    try:
        officer_page = context.new_page()
        officer_page.set_default_timeout(10_000)
        log_in(officer_page, live_server, "officer1", DEMO_PASSWORD)
        officer_page.wait_for_url("**/queue/")
        officer_page.goto(f"{live_server.url}{ticket.get_absolute_url()}")
        officer_page.locator("#ticket-status").get_by_text("Đã giải quyết").wait_for()
    finally:
        context.close()

    ticket = reload(ticket)
    assert (ticket.status, ticket.resolution_code) == (Status.RESOLVED, ResolutionCode.REPRINTED)
    assert ReprintBatch.objects.get().status == ReprintBatch.Status.DONE
    sms = SmsMessage.objects.get(ticket_reference=ticket.reference)
    assert (sms.phone, sms.status) == (str(ticket.caller_phone), SmsMessage.Status.SENT)
