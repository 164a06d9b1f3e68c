import pytest
from django.contrib.auth.models import Group

from callcenter.demo_users import DEMO_PASSWORD, demo_users_create
from tests.factories import ticket_for
from tickets.models import Status, Ticket

from .conftest import log_in, to_english

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPEAT_CALLER = "+84912345678"


@pytest.fixture
def agent1(db):
    demo_users_create()
    assert Group.objects.get(name="agent").user_set.filter(username="agent1").exists()
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="agent1")


def test_agent_logs_a_repeat_call_escalates_and_reads_the_reference(
    page, live_server, agent1, screenshot
):
    # Answered at the time: a new delayed-card ticket is not a duplicate of an open one.
    earlier = ticket_for(
        agent1, phone=REPEAT_CALLER, summary="Hỏi tiến độ cấp thẻ lần 1", resolve_now=True
    )

    log_in(page, live_server, "agent1", DEMO_PASSWORD)
    page.wait_for_url("**/console/")
    assert page.locator("html").get_attribute("lang") == "vi"
    # The phone field has the focus: the agent types straight away.
    page.keyboard.type("0912 345 678")
    history = page.locator("#caller-history")
    # In the history, and offered for reopening (resolved in the last 14 days).
    history.get_by_role("link", name=earlier.reference).first.wait_for()
    assert "1 phiếu trước đây" in history.inner_text()

    page.keyboard.press("Tab")
    page.keyboard.type("Nguyễn Văn An")
    page.select_option("#id_category", "delayed_card")
    page.fill("#id_summary", "Làm CCCD từ tháng 3, quá hạn chưa nhận được thẻ.")
    screenshot(page, "console-vi")
    page.keyboard.press("Alt+e")

    page.wait_for_url("**/console/?created=*")
    reference = page.locator("#created-reference").inner_text().strip()
    ticket = Ticket.objects.get(reference=reference)
    assert ticket.status == Status.ESCALATED
    assert ticket.caller_name == "Nguyễn Văn An"
    assert str(ticket.caller_phone) == REPEAT_CALLER
    assert ticket.calls.count() == 1
    screenshot(page, "console-created-vi")


def test_console_in_english_resolves_with_enter(page, live_server, agent1, screenshot):
    log_in(page, live_server, "agent1", DEMO_PASSWORD)
    page.wait_for_url("**/console/")
    to_english(page)
    page.wait_for_url("**/console/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="New call").is_visible()

    page.locator("#id_caller_phone:focus").wait_for()
    page.keyboard.type("0987 654 321")
    page.locator("#caller-history").get_by_text("First contact").wait_for()
    page.select_option("#id_category", "regulation_question")
    page.fill("#id_summary", "Asked about the fee for a replacement card.")
    screenshot(page, "console-en")
    page.focus("#id_caller_name")
    page.keyboard.press("Enter")

    page.wait_for_url("**/console/?created=*")
    reference = page.locator("#created-reference").inner_text().strip()
    assert Ticket.objects.get(reference=reference).status == Status.RESOLVED
    assert page.locator("#recent-tickets").get_by_text(reference).is_visible()
    screenshot(page, "console-created-en")
