"""A ringing call on agent1's extension pops up on the console within 2 seconds."""

import json
import time
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token

from callcenter.demo_users import DEMO_PASSWORD, demo_users_create
from tests.factories import ticket_for
from tickets.models import Call, Ticket

from .conftest import log_in, to_english

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def post_event(live_server, token, **fields):
    body = {"caller_number": "0912345678", "agent_extension": "101",
            "at": timezone.now().isoformat(), **fields}  # fmt: skip
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/cti/events/",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 202


def test_ringing_call_pops_up_with_history_and_is_logged(page, live_server, screenshot):
    demo_users_create()
    users = get_user_model().objects
    agent1 = users.get(username="agent1")
    token = Token.objects.create(user=users.get(username="pbx")).key
    earlier = ticket_for(agent1, phone="+84912345678", summary="Hỏi tiến độ cấp thẻ lần 1")

    log_in(page, live_server, "agent1", DEMO_PASSWORD)
    page.wait_for_url("**/console/")
    page.wait_for_timeout(500)

    rang = time.monotonic()
    post_event(live_server, token, call_id="pbx-7781", event="ringing")
    popup = page.locator("#incoming-title")
    popup.wait_for(timeout=2000)
    shown_after = time.monotonic() - rang
    assert shown_after < 2.0

    box = page.locator("#incoming")
    assert "0912 345 678" in box.inner_text()
    assert "1 phiếu trước đây" in box.inner_text()
    assert "1 cuộc gọi" in box.inner_text()  # the earlier one, not the call ringing now
    # The empty form takes the caller's number and shows the history beside it.
    assert page.input_value("#id_caller_phone") == "0912 345 678"
    # In the history, and first among the open tickets the call could join.
    page.locator("#caller-history").get_by_role("link", name=earlier.reference).first.wait_for()
    screenshot(page, "console-incoming-call-vi")

    post_event(live_server, token, call_id="pbx-7781", event="answered")
    page.locator("#incoming[data-state=answered]").wait_for()
    page.select_option("#id_category", "regulation_question")
    page.fill("#id_summary", "Hỏi thủ tục cấp đổi thẻ khi thay đổi nơi thường trú.")
    page.locator("#id_summary").press("Control+Enter")
    page.wait_for_url("**/console/?created=*")

    ticket = Ticket.objects.get(reference=page.locator("#created-reference").inner_text().strip())
    call = Call.objects.get(pbx_call_id="pbx-7781")
    assert call.ticket == ticket and call.agent == agent1
    # Logged: the pop-up is gone.
    page.wait_for_timeout(1500)
    assert page.locator("#incoming-title").count() == 0


def test_a_call_ringing_while_the_agent_types_waits_for_log_this_call(
    page, live_server, screenshot
):
    demo_users_create()
    users = get_user_model().objects
    token = Token.objects.create(user=users.get(username="pbx")).key

    log_in(page, live_server, "agent1", DEMO_PASSWORD)
    page.wait_for_url("**/console/")
    to_english(page)
    page.locator("#id_caller_phone:focus").wait_for()
    page.keyboard.type("0987 654 321")
    page.locator("#caller-history").get_by_text("First contact").wait_for()

    post_event(live_server, token, call_id="pbx-7790", event="ringing", caller_number="0912000111")
    page.get_by_role("heading", name="Incoming call").wait_for(timeout=2000)
    # The agent's own typing is left alone until they take the call.
    assert page.input_value("#id_caller_phone") == "0987 654 321"
    screenshot(page, "console-incoming-call-en")

    page.keyboard.press("Alt+l")
    assert page.input_value("#id_caller_phone") == "0912 000 111"
    # The history is the new number's: its only call is the one ringing.
    page.locator("#caller-history").get_by_text("1 call").wait_for()
    page.select_option("#id_category", "other")
    page.fill("#id_summary", "Asked for the opening hours.")
    page.locator("#id_summary").press("Control+Enter")
    page.wait_for_url("**/console/?created=*")
    assert Call.objects.get(pbx_call_id="pbx-7790").ticket is not None
