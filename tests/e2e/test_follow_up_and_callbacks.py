"""Repeat callers and callbacks in the browser (SPEC §8.1, §8.2): an agent adds a call to
the caller's open ticket and takes a callback with the keyboard alone; the duplicate
prompt; the officer sees that the caller rang again."""

import datetime
import json
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token

from callbacks.models import Callback
from callcenter.demo_users import DEMO_PASSWORD, demo_users_create
from tests.factories import escalated_ticket, ticket_for
from tickets import services
from tickets.models import Category, ResolutionCode, Status, Ticket

from .conftest import log_in, to_english

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPEAT_CALLER = "+84912345678"
MISSED_CALLER = "+84935111222"


@pytest.fixture
def users(db):
    demo_users_create()
    return get_user_model().objects


@pytest.fixture
def agent1(users):
    return users.get(username="agent1")


def log_in_english(page, live_server, username, lands_on):
    log_in(page, live_server, username, DEMO_PASSWORD)
    page.wait_for_url(f"**{lands_on}")
    to_english(page)
    page.wait_for_url(f"**{lands_on}")
    assert page.locator("html").get_attribute("lang") == "en"


def tab_to(page, selector, limit=20):
    """Tab through the form until `selector` has the focus (keyboard only)."""
    focused = page.locator(f"{selector}:focus")
    for _ in range(limit):
        if focused.count():
            return
        page.keyboard.press("Tab")
    assert focused.count(), f"{selector} never took the focus"


def in_shift(hour=10):
    """A weekday moment in the shift, in the last days: a call missed then is due now."""
    day = timezone.localdate() - datetime.timedelta(days=1)
    while day.weekday() > 4:
        day -= datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def post_event(live_server, token, **fields):
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/cti/events/",
        data=json.dumps(fields).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 202
        return json.loads(response.read())


def real_alt_key(page, letter):
    """Alt+<letter> as Chromium gets it from a keyboard: the raw key down (JS keydown),
    then the character, which is what fires an accesskey. keyboard.press("Alt+x")
    sends no character, so it never reaches an accesskey."""
    cdp = page.context.new_cdp_session(page)
    code = ord(letter.upper())
    key = {"key": letter, "code": f"Key{letter.upper()}", "windowsVirtualKeyCode": code,
           "nativeVirtualKeyCode": code, "modifiers": 1}  # fmt: skip
    alt = {"key": "Alt", "code": "AltLeft", "windowsVirtualKeyCode": 18}
    for event in (
        {"type": "rawKeyDown", **alt, "modifiers": 1},
        {"type": "rawKeyDown", **key, "unmodifiedText": letter},
        {"type": "char", **key, "text": letter, "unmodifiedText": letter},
        {"type": "keyUp", **key},
        {"type": "keyUp", **alt, "modifiers": 0},
    ):
        cdp.send("Input.dispatchKeyEvent", event)
    cdp.detach()


# --- follow-up calls (§8.1) ------------------------------------------------------------


def test_agent_adds_a_call_to_the_open_ticket_with_the_keyboard_alone(
    page, live_server, agent1, screenshot
):
    open_ticket = ticket_for(agent1, phone=REPEAT_CALLER, summary="Chưa nhận được thẻ CCCD")
    assert open_ticket.contact_count == 1

    log_in_english(page, live_server, "agent1", "/console/")
    # The phone field has the focus: the agent types the number straight away.
    page.keyboard.type("0912 345 678")
    add = page.locator("#add-call-first")
    add.wait_for()
    assert f"Add this call to {open_ticket.reference}" in add.inner_text()
    assert "Alt+A" in add.inner_text()
    # One mechanism for the key (app.js), so that the form is never posted twice.
    assert add.get_attribute("accesskey") is None

    tab_to(page, "#id_summary")
    page.keyboard.type("Rang again: still no card, asks for a date.")
    screenshot(page, "console-follow-up-add-button-en")
    page.keyboard.press("Alt+a")

    page.wait_for_url(f"**/console/?added={open_ticket.reference}")
    added = page.locator("#added")
    assert page.locator("#added-reference").inner_text().strip() == open_ticket.reference
    assert "2 contacts" in added.inner_text()
    screenshot(page, "console-follow-up-added-en")

    open_ticket.refresh_from_db()
    assert open_ticket.contact_count == 2
    assert open_ticket.calls.count() == 2
    assert open_ticket.calls.filter(follow_up=True).count() == 1
    note = open_ticket.notes.get()
    assert note.text == "Rang again: still no card, asks for a date." and note.author == agent1
    assert Ticket.objects.count() == 1


def test_agent_adds_a_call_in_vietnamese(page, live_server, agent1, screenshot):
    open_ticket = escalated_ticket(agent1, phone=REPEAT_CALLER)

    log_in(page, live_server, "agent1", DEMO_PASSWORD)
    page.wait_for_url("**/console/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.keyboard.type("0912 345 678")
    add = page.locator("#add-call-first")
    add.wait_for()
    assert f"Thêm cuộc gọi này vào {open_ticket.reference}" in add.inner_text()
    tab_to(page, "#id_summary")
    page.keyboard.type("Gọi lại lần hai, vẫn chưa nhận được thẻ.")
    screenshot(page, "console-follow-up-add-button-vi")
    page.keyboard.press("Alt+a")

    page.wait_for_url(f"**/console/?added={open_ticket.reference}")
    assert "Đã thêm cuộc gọi vào" in page.locator("#added").inner_text()
    screenshot(page, "console-follow-up-added-vi")
    open_ticket.refresh_from_db()
    assert open_ticket.contact_count == 2
    assert open_ticket.status == Status.ESCALATED


def test_a_recently_resolved_ticket_can_be_reopened_by_the_call(
    page, live_server, agent1, screenshot
):
    resolved = ticket_for(agent1, phone=REPEAT_CALLER)
    resolved = services.ticket_resolve(
        actor=agent1, ticket=resolved, resolution_code=ResolutionCode.ANSWERED
    )
    assert resolved.status == Status.RESOLVED

    log_in_english(page, live_server, "agent1", "/console/")
    page.keyboard.type("0912 345 678")
    reopen = page.locator("button[name=reopen]")
    reopen.wait_for()
    assert f"reopen {resolved.reference} with this call" in reopen.inner_text()
    page.fill("#id_summary", "The card never arrived after all.")
    screenshot(page, "console-follow-up-reopen-en")
    reopen.click()

    page.wait_for_url(f"**/console/?added={resolved.reference}")
    resolved.refresh_from_db()
    assert resolved.status != Status.RESOLVED
    assert resolved.contact_count == 2


def test_duplicate_prompt_then_log_a_new_ticket_with_the_keyboard(
    page, live_server, agent1, screenshot
):
    first = ticket_for(agent1, phone=REPEAT_CALLER, category=Category.DELAYED_CARD)

    log_in_english(page, live_server, "agent1", "/console/")
    page.keyboard.type("0912 345 678")
    page.locator("#add-call-first").wait_for()
    page.select_option("#id_category", Category.DELAYED_CARD)
    page.fill("#id_summary", "Another card: the caller's son applied in May.")
    page.focus("#id_caller_name")
    page.keyboard.press("Enter")

    prompt = page.locator("#duplicates")
    prompt.wait_for()
    assert "This caller already has an open ticket about this:" in prompt.inner_text()
    assert first.reference in prompt.inner_text()
    assert Ticket.objects.count() == 1
    # The safe choice has the focus; the next key stop is "log a new ticket".
    page.locator("#duplicate-add:focus").wait_for()
    assert page.input_value("#id_summary") == "Another card: the caller's son applied in May."
    # The number is still typed in: its history comes back beside the prompt.
    page.locator("#caller-history").get_by_role("link", name=first.reference).first.wait_for()
    screenshot(page, "console-duplicate-prompt-en")
    page.keyboard.press("Tab")
    page.locator("#confirm-new:focus").wait_for()
    page.keyboard.press("Enter")

    page.wait_for_url("**/console/?created=*")
    reference = page.locator("#created-reference").inner_text().strip()
    assert reference != first.reference
    second = Ticket.objects.get(reference=reference)
    assert second.category == Category.DELAYED_CARD
    assert str(second.caller_phone) == REPEAT_CALLER
    assert second.contact_count == 1
    first.refresh_from_db()
    assert first.contact_count == 1
    screenshot(page, "console-duplicate-created-en")


# --- callbacks (§8.2) ------------------------------------------------------------------


def test_agent_takes_a_callback_reaches_the_caller_and_logs_the_call(
    page, live_server, users, agent1, screenshot
):
    token = Token.objects.create(user=users.get(username="pbx")).key
    missed = in_shift()
    for event, seconds in (("ringing", 0), ("hangup", 25)):
        body = post_event(
            live_server,
            token,
            call_id="pbx-missed-1",
            event=event,
            caller_number="0935111222",
            agent_extension="101",
            at=(missed + datetime.timedelta(seconds=seconds)).isoformat(),
        )
    assert body["state"] == "abandoned"
    callback = Callback.objects.get()
    assert callback.status == Callback.Status.PENDING and str(callback.phone) == MISSED_CALLER

    log_in_english(page, live_server, "agent1", "/console/")
    due = page.locator("#callbacks-due")
    assert due.inner_text().strip() == "Callbacks due: 1"
    take = page.locator("#take-callback")
    assert take.is_enabled() and "Alt+B" in take.inner_text()
    screenshot(page, "console-callbacks-due-en")
    page.keyboard.press("Alt+b")

    page.wait_for_url(f"**/callbacks/{callback.pk}/")
    assert "0935 111 222" in page.locator("#callback-phone").inner_text()
    assert "Alt+R" in page.locator("#outcome-reached").inner_text()
    callback.refresh_from_db()
    assert callback.holder == agent1
    screenshot(page, "callback-detail-en")
    page.locator("#outcome-reached:focus").wait_for()  # Enter would do too
    # Pressed as a keyboard does (key down, then the character).
    real_alt_key(page, "r")

    page.wait_for_url(f"**/console/?callback={callback.pk}")
    phone = page.locator("#id_caller_phone")
    assert phone.input_value().replace(" ", "").replace("+84", "0") == "0935111222"
    history = page.locator("#caller-history")
    # Its history is loaded: the missed call.
    history.get_by_text("1 call").wait_for()
    page.select_option("#id_category", Category.DELAYED_CARD)
    page.fill("#id_summary", "Called back: asked when the card will be ready.")
    screenshot(page, "console-after-callback-en")
    page.focus("#id_caller_name")
    page.keyboard.press("Enter")

    page.wait_for_url("**/console/?created=*")
    ticket = Ticket.objects.get(reference=page.locator("#created-reference").inner_text().strip())
    assert str(ticket.caller_phone) == MISSED_CALLER
    callback.refresh_from_db()
    assert callback.status == Callback.Status.REACHED
    assert callback.ticket == ticket
    assert callback.closed_by == agent1 and callback.attempts == 1
    assert page.locator("#callbacks-due").inner_text().strip() == "Callbacks due: 0"
    assert page.locator("#take-callback").is_disabled()
    screenshot(page, "console-callback-logged-en")


# --- the officer (§8.1) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "rang_again", "contacts"),
    [
        ("en", "The caller rang again (1)", "2 contacts"),
        ("vi", "Công dân đã gọi lại (1)", "2 lần liên hệ"),
    ],
)
def test_officer_sees_that_the_caller_rang_again(
    page, live_server, users, agent1, screenshot, lang, rang_again, contacts
):
    officer1 = users.get(username="officer1")
    held = escalated_ticket(agent1, phone=REPEAT_CALLER, summary="Quá hạn chưa nhận được thẻ")
    services.ticket_claim(actor=officer1, ticket=held)
    services.ticket_add_call(actor=agent1, ticket=held, note="Công dân gọi lại hỏi tiến độ.")
    waiting = escalated_ticket(agent1, phone="+84987654321", summary="Hỏi tiến độ cấp thẻ")
    services.ticket_add_call(actor=agent1, ticket=waiting)

    if lang == "en":
        log_in_english(page, live_server, "officer1", "/queue/")
    else:
        log_in(page, live_server, "officer1", DEMO_PASSWORD)
        page.wait_for_url("**/queue/")
        assert page.locator("html").get_attribute("lang") == "vi"

    mine = page.locator("#my-tickets")
    row = mine.locator("tr", has_text=held.reference)
    assert rang_again in row.locator(".rang-again").inner_text()
    queue_row = page.locator("#queue tbody tr", has_text=waiting.reference)
    assert contacts in queue_row.inner_text()
    screenshot(page, f"queue-rang-again-{lang}")

    row.get_by_role("link", name=held.reference).click()
    page.wait_for_url(f"**/tickets/{held.reference}/")
    assert page.locator("#rang-again").inner_text().strip() == rang_again
    assert "Công dân gọi lại hỏi tiến độ." in page.locator("main").inner_text()
    screenshot(page, f"officer-ticket-rang-again-{lang}")
    history = page.locator("ol.history")
    history.scroll_into_view_if_needed()
    assert history.locator("li").count() >= 4  # created, escalated, claimed, the call added
    screenshot(page, f"officer-ticket-rang-again-history-{lang}")


def test_a_real_alt_a_keystroke_adds_the_call_once(page, live_server, agent1):
    open_ticket = ticket_for(agent1, phone=REPEAT_CALLER)
    log_in_english(page, live_server, "agent1", "/console/")
    page.keyboard.type("0912 345 678")
    page.locator("#add-call-first").wait_for()
    page.fill("#id_summary", "Rang again.")
    posts = []

    def count_post(request):
        if request.method == "POST" and request.url.endswith("/console/"):
            posts.append(request)

    page.on("request", count_post)
    real_alt_key(page, "a")
    page.wait_for_url(f"**/console/?added={open_ticket.reference}")
    page.wait_for_timeout(1000)

    open_ticket.refresh_from_db()
    assert len(posts) == 1
    assert open_ticket.contact_count == 2 and open_ticket.notes.count() == 1
