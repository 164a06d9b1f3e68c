"""The agent console, its fragments, the ticket list and the ticket page."""

import re

import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories import escalated_ticket, ticket_for
from tickets import services
from tickets.models import Call, Status, Ticket, TicketEvent, TicketNote

VALID_CCCD = "001090123456"  # Hà Nội, male, born 1990
CONSOLE_FORM = {
    "caller_phone": "0912 345 678",
    "caller_name": "Nguyễn Văn An",
    "date_of_birth": "1990-05-17",
    "cccd_number": VALID_CCCD,
    "category": "delayed_card",
    "summary": "Làm CCCD từ tháng 3, chưa nhận được thẻ",
    "action": "resolve",
}


def english(client):
    """Show the pages in English (the language switch's cookie) to read their text."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def held_by(officer, ticket):
    """The state a claim leaves: escalated, then held by the officer."""
    services.ticket_escalate(ticket=ticket, actor=ticket.created_by)
    Ticket.objects.filter(pk=ticket.pk).update(
        status=Status.ASSIGNED, assignee=officer, assigned_at=timezone.now()
    )
    return Ticket.objects.get(pk=ticket.pk)


def messages_of(response):
    return re.findall(r'<li class="msg msg-(\w+)">(.*?)</li>', response.content.decode(), re.S)


def field_error(response, name):
    match = re.search(
        rf'<div class="field-error" id="err-{name}">(.*?)</div>', response.content.decode(), re.S
    )
    return match and match.group(1).strip()


def state(ticket):
    ticket = Ticket.objects.get(pk=ticket.pk)
    return (
        ticket.status,
        ticket.assignee_id,
        ticket.resolution_code,
        ticket.notes.count(),
        ticket.events.count(),
    )


# --- console: language ----------------------------------------------------------------


def test_console_is_in_vietnamese_by_default(agent, client_for):
    response = client_for(agent).get("/console/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
    assert response["Content-Language"] == "vi"


def test_console_switches_to_english_through_the_language_form(agent, client_for):
    client = client_for(agent)

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/console/"})
    response = client.get("/console/")

    assert switched.status_code == 302
    assert switched["Location"] == "/console/"
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "New call" in content


# --- console: logging a call ----------------------------------------------------------


def test_console_post_logs_the_ticket_and_shows_its_reference(agent, client_for):
    client = client_for(agent)

    response = client.post("/console/", CONSOLE_FORM)

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/console/?created={ticket.reference}"
    assert ticket.created_by == agent
    assert str(ticket.caller_phone) == "+84912345678"
    assert ticket.caller_name == "Nguyễn Văn An"
    assert ticket.cccd_number == VALID_CCCD
    assert ticket.status == Status.RESOLVED
    page = client.get(response["Location"]).content.decode()
    assert f'<p class="reference" id="created-reference">{ticket.reference}</p>' in page


def test_console_post_with_escalate_sends_the_ticket_to_the_officers(agent, client_for):
    response = client_for(agent).post("/console/", {**CONSOLE_FORM, "action": "escalate"})

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.status == Status.ESCALATED
    assert ticket.escalated_at is not None


def test_console_post_records_the_call(agent, client_for):
    client_for(agent).post("/console/", CONSOLE_FORM)

    call = Call.objects.get()
    assert call.ticket == Ticket.objects.get()
    assert call.agent == agent


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("caller_phone", "12345"),
        ("caller_phone", "09abc45678"),
        ("caller_phone", ""),
        ("cccd_number", "12345"),
        ("cccd_number", "999090123456"),
        ("cccd_number", "0010901234AB"),
        ("summary", "x" * 100_000),
        ("summary", ""),
        ("category", "lost_card"),
        ("date_of_birth", "17/05/1990x"),
    ],
)
def test_console_refuses_invalid_input_next_to_the_field(agent, client_for, field, value):
    response = client_for(agent).post("/console/", {**CONSOLE_FORM, field: value})

    assert response.status_code == 400
    assert field_error(response, field)
    assert not Ticket.objects.exists()
    assert not Call.objects.exists()


def test_console_refusal_keeps_what_the_agent_typed(agent, client_for):
    response = client_for(agent).post("/console/", {**CONSOLE_FORM, "cccd_number": "12345"})

    content = response.content.decode()
    assert 'value="0912 345 678"' in content
    assert 'value="Nguyễn Văn An"' in content


def test_console_refuses_a_cccd_that_disagrees_with_the_date_of_birth(agent, client_for):
    response = client_for(agent).post("/console/", {**CONSOLE_FORM, "date_of_birth": "1985-01-01"})

    assert response.status_code == 400
    assert "1990" in field_error(response, "cccd_number")
    assert not Ticket.objects.exists()


def test_console_shows_no_banner_for_another_agents_reference(agent, other_agent, client_for):
    theirs = ticket_for(other_agent)

    response = client_for(agent).get(f"/console/?created={theirs.reference}")

    side = re.search(r'<aside class="console-side">.*</aside>', response.content.decode(), re.S)
    assert response.status_code == 200
    assert 'id="created-reference"' not in side.group()
    assert theirs.reference not in side.group()


def test_console_shows_no_banner_for_an_unknown_reference(agent, client_for):
    response = client_for(agent).get("/console/?created=" + "9" * 500)

    assert response.status_code == 200
    assert 'id="created-reference"' not in response.content.decode()


def test_console_lists_only_the_agents_own_recent_tickets(agent, other_agent, client_for):
    mine = ticket_for(agent)
    theirs = ticket_for(other_agent)

    content = client_for(agent).get("/console/").content.decode()

    assert mine.reference in content
    assert theirs.reference not in content


# --- console: caller history fragment -------------------------------------------------


def test_history_fragment_lists_the_earlier_tickets_of_that_number_only(
    agent, other_agent, client_for
):
    first = ticket_for(agent, phone="+84912345678")
    second = ticket_for(other_agent, phone="+84912345678", summary="Gọi lại lần hai")
    other_number = ticket_for(agent, phone="+84987654321")

    response = client_for(agent).post("/console/history/", {"caller_phone": "0912345678"})

    content = response.content.decode()
    assert response.status_code == 200
    assert first.reference in content
    assert second.reference in content
    assert "Gọi lại lần hai" in content
    assert other_number.reference not in content
    assert content.index(second.reference) < content.index(first.reference)


def test_history_fragment_accepts_the_e164_form(agent, client_for):
    ticket = ticket_for(agent, phone="+84912345678")

    response = client_for(agent).post("/console/history/", {"caller_phone": "+84 912 345 678"})

    assert ticket.reference in response.content.decode()


def test_history_fragment_greets_a_first_contact(agent, client_for):
    ticket_for(agent, phone="+84987654321")

    response = english(client_for(agent)).post("/console/history/", {"caller_phone": "0912345678"})

    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="first-call"' in content
    assert "First contact from +84912345678" in content


@pytest.mark.parametrize("garbage", ["abc", "12", "0912345678" * 20, "<script>"])
def test_history_fragment_says_a_garbage_number_is_not_valid(agent, client_for, garbage):
    ticket_for(agent, phone="+84912345678")

    response = english(client_for(agent)).post("/console/history/", {"caller_phone": garbage})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Not a valid phone number yet." in content
    assert "<table" not in content
    assert "<script>" not in content


def test_history_fragment_prompts_for_a_number_when_empty(agent, client_for):
    response = english(client_for(agent)).post("/console/history/", {"caller_phone": ""})

    assert response.status_code == 200
    assert "phone number to see earlier tickets and calls" in response.content.decode()


def test_history_fragment_is_open_to_officers(agent, officer, client_for):
    ticket = ticket_for(agent, phone="+84912345678")

    response = client_for(officer).post("/console/history/", {"caller_phone": "0912345678"})

    assert ticket.reference in response.content.decode()


# --- console: recent tickets fragment -------------------------------------------------


def test_recent_fragment_finds_own_ticket_by_reference(agent, client_for):
    wanted = ticket_for(agent, phone="+84912345678")
    other = ticket_for(agent, phone="+84987654321")

    response = client_for(agent).post("/console/recent/", {"q": wanted.reference})

    content = response.content.decode()
    assert wanted.reference in content
    assert other.reference not in content


@pytest.mark.parametrize("query", ["0912345678", "0912 345 678", "+84912345678", "345678"])
def test_recent_fragment_finds_own_ticket_by_phone(agent, client_for, query):
    wanted = ticket_for(agent, phone="+84912345678")
    other = ticket_for(agent, phone="+84987654321")

    content = client_for(agent).post("/console/recent/", {"q": query}).content.decode()

    assert wanted.reference in content
    assert other.reference not in content


def test_recent_fragment_never_shows_another_agents_ticket(agent, other_agent, client_for):
    mine = ticket_for(agent, phone="+84912345678")
    theirs = ticket_for(other_agent, phone="+84912345678")
    client = english(client_for(agent))

    by_phone = client.post("/console/recent/", {"q": "0912345678"}).content.decode()
    by_reference = client.post("/console/recent/", {"q": theirs.reference}).content.decode()
    unfiltered = client.post("/console/recent/", {"q": ""}).content.decode()

    assert mine.reference in by_phone
    assert theirs.reference not in by_phone
    assert theirs.reference not in by_reference
    assert "No ticket of yours matches." in by_reference
    assert theirs.reference not in unfiltered


def test_recent_fragment_survives_a_huge_query(agent, client_for):
    response = client_for(agent).post("/console/recent/", {"q": "2" * 100_000})

    assert response.status_code == 200


# --- ticket list page -----------------------------------------------------------------


def test_ticket_list_shows_every_agents_tickets_to_staff(agent, other_agent, officer, client_for):
    mine = ticket_for(agent)
    theirs = ticket_for(other_agent)

    content = client_for(officer).get("/tickets/").content.decode()

    assert mine.reference in content
    assert theirs.reference in content


def test_ticket_list_filters_by_status(agent, supervisor, client_for):
    open_one = ticket_for(agent)
    escalated = escalated_ticket(agent)

    response = client_for(supervisor).get("/tickets/", {"status": "escalated"})

    content = response.content.decode()
    assert response.status_code == 200
    assert escalated.reference in content
    assert open_one.reference not in content


@pytest.mark.parametrize("query", ["0987654321", "Trần Thị Bình", "trần thị"])
def test_ticket_list_filters_by_search(agent, officer, client_for, query):
    wanted = ticket_for(agent, phone="+84987654321", identity={"caller_name": "Trần Thị Bình"})
    other = ticket_for(agent, phone="+84912345678", identity={"caller_name": "Lê Văn Cường"})

    response = client_for(officer).get("/tickets/", {"q": query})

    content = response.content.decode()
    assert response.status_code == 200
    assert wanted.reference in content
    assert other.reference not in content


def test_ticket_list_filters_by_reference(agent, officer, client_for):
    wanted = ticket_for(agent)
    other = ticket_for(agent)

    content = client_for(officer).get("/tickets/", {"q": wanted.reference}).content.decode()

    assert wanted.reference in content
    assert other.reference not in content


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("status", "lost"),
        ("category", "x"),
        ("channel", "pigeon"),
        ("caller_phone", "abc"),
        ("assigned_to", "someone"),
        ("created_from", "yesterday"),
        ("created_to", "2026-13-45"),
        ("q", "x" * 101),
    ],
)
def test_ticket_list_answers_an_invalid_filter_with_400(agent, officer, client_for, name, value):
    ticket_for(agent)

    response = client_for(officer).get("/tickets/", {name: value})

    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()


def test_ticket_list_answers_a_bad_page_number_without_error(agent, officer, client_for):
    ticket = ticket_for(agent)

    response = client_for(officer).get("/tickets/", {"page": "abc"})

    assert response.status_code == 200
    assert ticket.reference in response.content.decode()


# --- ticket page ----------------------------------------------------------------------


def test_ticket_page_shows_notes_calls_and_history(agent, officer, client_for):
    ticket = ticket_for(agent, identity={"caller_name": "Phạm Thị Dung"})
    services.note_add(ticket=ticket, actor=officer, text="Đã gọi phường xác minh")
    services.ticket_escalate(ticket=ticket, actor=agent)

    response = client_for(officer).get(f"/tickets/{ticket.reference}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Phạm Thị Dung" in content
    assert "Đã gọi phường xác minh" in content
    assert re.search(r'<ul class="plain">\s*<li>[^<]*· agent_a', content)
    history = re.search(r'<ol class="history">(.*?)</ol>', content, re.S).group(1)
    assert history.count("<li>") == 3


def action_urls(response, ticket):
    urls = re.findall(
        rf'action="/tickets/{ticket.reference}/(\w[\w-]*)/"', response.content.decode()
    )
    return set(urls)


def test_agent_sees_escalate_and_resolve_on_own_open_ticket(agent, client_for):
    ticket = ticket_for(agent)

    response = client_for(agent).get(ticket.get_absolute_url())

    assert action_urls(response, ticket) == {"escalate", "resolve", "notes"}


def test_agent_sees_no_resolve_on_another_agents_open_ticket(agent, other_agent, client_for):
    ticket = ticket_for(other_agent)

    response = client_for(agent).get(ticket.get_absolute_url())

    assert action_urls(response, ticket) == {"escalate", "notes"}


def test_officer_sees_only_notes_on_an_open_ticket(agent, officer, client_for):
    ticket = ticket_for(agent)

    response = client_for(officer).get(ticket.get_absolute_url())

    assert action_urls(response, ticket) == {"notes"}


def test_holding_officer_sees_resolve(agent, officer, client_for):
    ticket = held_by(officer, ticket_for(agent))

    response = client_for(officer).get(ticket.get_absolute_url())

    assert action_urls(response, ticket) == {"resolve", "release", "notes"}


def test_other_officer_sees_no_resolve_on_a_held_ticket(agent, officer, other_officer, client_for):
    ticket = held_by(officer, ticket_for(agent))

    response = client_for(other_officer).get(ticket.get_absolute_url())

    assert action_urls(response, ticket) == {"notes"}


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_reopen_is_offered_on_a_resolved_ticket(request, agent, client_for, role):
    ticket = ticket_for(agent, resolve_now=True)
    user = request.getfixturevalue(role)

    response = client_for(user).get(ticket.get_absolute_url())

    assert action_urls(response, ticket) == {"reopen", "notes"}


def test_supervisor_sees_only_notes_on_an_open_ticket(agent, supervisor, client_for):
    ticket = ticket_for(agent)

    response = client_for(supervisor).get(ticket.get_absolute_url())

    assert action_urls(response, ticket) == {"notes"}


def test_nobody_is_offered_escalate_on_an_escalated_ticket(agent, client_for):
    ticket = escalated_ticket(agent)

    response = client_for(agent).get(ticket.get_absolute_url())

    assert action_urls(response, ticket) == {"notes"}


# --- ticket page actions --------------------------------------------------------------


def test_escalate_from_the_ticket_page(agent, client_for):
    ticket = ticket_for(agent)
    client = client_for(agent)

    response = client.post(f"/tickets/{ticket.reference}/escalate/", {"note": "Cần tra cứu"})

    assert response.status_code == 302
    assert response["Location"] == ticket.get_absolute_url()
    ticket.refresh_from_db()
    assert ticket.status == Status.ESCALATED
    assert ticket.notes.get().text == "Cần tra cứu"


def test_resolve_from_the_ticket_page(agent, client_for):
    ticket = ticket_for(agent)

    response = client_for(agent).post(
        f"/tickets/{ticket.reference}/resolve/",
        {"resolution_code": "answered", "resolution_note": "Nhận tại công an xã"},
    )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert ticket.resolution_code == "answered"
    assert ticket.resolution_note == "Nhận tại công an xã"


def test_holding_officer_resolves_from_the_ticket_page(agent, officer, client_for):
    ticket = held_by(officer, ticket_for(agent))

    client_for(officer).post(
        f"/tickets/{ticket.reference}/resolve/", {"resolution_code": "duplicate"}
    )

    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert ticket.resolution_code == "duplicate"


def test_reopen_from_the_ticket_page(agent, supervisor, client_for):
    ticket = ticket_for(agent, resolve_now=True)

    response = client_for(supervisor).post(
        f"/tickets/{ticket.reference}/reopen/", {"note": "Công dân gọi lại"}
    )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.ESCALATED
    assert ticket.resolution_code == ""
    assert ticket.notes.get().text == "Công dân gọi lại"


def test_note_from_the_ticket_page(agent, officer, client_for):
    ticket = ticket_for(agent)
    client = english(client_for(officer))

    response = client.post(f"/tickets/{ticket.reference}/notes/", {"text": "Đã tra cứu"})

    assert response.status_code == 302
    note = TicketNote.objects.get()
    assert (note.ticket, note.author, note.text) == (ticket, officer, "Đã tra cứu")
    page = client.get(response["Location"])
    assert ("success", "Note added.") in messages_of(page)
    assert "Đã tra cứu" in page.content.decode()


@pytest.mark.parametrize(
    ("action", "data", "arrange"),
    [
        ("resolve", {"resolution_code": "answered"}, "escalated"),
        ("escalate", {}, "escalated"),
        ("escalate", {}, "resolved"),
        ("reopen", {}, "open"),
        ("reopen", {}, "escalated"),
    ],
)
def test_illegal_page_action_shows_a_message_and_changes_nothing(
    agent, client_for, action, data, arrange
):
    ticket = ticket_for(agent)
    if arrange == "escalated":
        services.ticket_escalate(ticket=ticket, actor=agent)
    elif arrange == "resolved":
        services.ticket_resolve(ticket=ticket, actor=agent, resolution_code="answered")
    before = state(ticket)
    client = client_for(agent)

    response = client.post(f"/tickets/{ticket.reference}/{action}/", data, follow=True)

    assert response.redirect_chain == [(ticket.get_absolute_url(), 302)]
    errors = [text for level, text in messages_of(response) if level == "error"]
    assert len(errors) == 1
    assert ticket.reference in errors[0]
    assert state(ticket) == before


def test_agent_cannot_resolve_another_agents_ticket_from_the_page(agent, other_agent, client_for):
    ticket = ticket_for(other_agent)
    before = state(ticket)

    response = client_for(agent).post(
        f"/tickets/{ticket.reference}/resolve/", {"resolution_code": "answered"}, follow=True
    )

    assert [level for level, _ in messages_of(response)] == ["error"]
    assert state(ticket) == before


def test_officer_cannot_resolve_a_ticket_held_by_another(agent, officer, other_officer, client_for):
    ticket = held_by(officer, ticket_for(agent))
    before = state(ticket)

    response = client_for(other_officer).post(
        f"/tickets/{ticket.reference}/resolve/", {"resolution_code": "answered"}, follow=True
    )

    assert [level for level, _ in messages_of(response)] == ["error"]
    assert state(ticket) == before


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("notes", {"text": ""}),
        ("notes", {"text": "x" * 10_001}),
        ("resolve", {"resolution_code": "reprinted"}),
        ("resolve", {"resolution_code": "nonsense"}),
        ("escalate", {"note": "x" * 10_001}),
    ],
)
def test_invalid_page_action_input_shows_a_message_and_changes_nothing(
    agent, client_for, action, data
):
    ticket = ticket_for(agent)
    before = state(ticket)

    response = client_for(agent).post(f"/tickets/{ticket.reference}/{action}/", data, follow=True)

    assert response.status_code == 200
    assert "error" in [level for level, _ in messages_of(response)]
    assert state(ticket) == before


def test_page_action_on_an_unknown_ticket_is_a_404(agent, client_for):
    response = client_for(agent).post("/tickets/2601-99999/escalate/", {})

    assert response.status_code == 404
    assert TicketEvent.objects.count() == 0
