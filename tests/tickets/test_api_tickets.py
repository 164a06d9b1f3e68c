"""The tickets API contract (SPEC §5): create, list and filters, detail, actions,
caller history, token auth."""

import datetime
import re
import threading
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.conftest import PASSWORD
from tests.factories import escalated_ticket, ticket_for
from tickets import services
from tickets.models import Call, Channel, ResolutionCode, Status, Ticket, TicketEvent

TICKETS = "/api/v1/tickets/"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
REFERENCE = re.compile(r"^\d{4}-\d{5}$")
PHONE_A = "+84912345678"
PHONE_B = "+84987654321"


def url(reference, action=""):
    return f"{TICKETS}{reference}/" + (f"{action}/" if action else "")


def create(client, **fields):
    payload = {"caller_phone": "0912 345 678", "category": "delayed_card", "summary": "Chưa có thẻ"}
    return client.post(TICKETS, {**payload, **fields}, format="json")


def references(response):
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


def set_created_at(ticket, when):
    Ticket.objects.filter(pk=ticket.pk).update(created_at=when)


# --- create -------------------------------------------------------------------------


def test_create_echoes_every_field_with_a_reference_and_open_status(agent, api_client_for):
    response = create(
        api_client_for(agent),
        caller_phone="0912 345 678",
        category="regulation_question",
        summary="Hỏi thủ tục cấp lại thẻ",
        channel="phone",
        caller_name="Nguyễn Thị Hoà",
        date_of_birth="1990-05-17",
        cccd_number="001190012345",
        old_id_number="012345678",
        place_of_application="Công an quận Ba Đình",
        application_date="2024-03-01",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert REFERENCE.match(body["reference"])
    assert body["status"] == Status.OPEN
    assert body["caller_phone"] == "+84912345678"
    assert {key: body[key] for key in ("category", "summary", "channel", "caller_name")} == {
        "category": "regulation_question",
        "summary": "Hỏi thủ tục cấp lại thẻ",
        "channel": "phone",
        "caller_name": "Nguyễn Thị Hoà",
    }
    assert body["date_of_birth"] == "1990-05-17"
    assert body["cccd_number"] == "001190012345"
    assert body["old_id_number"] == "012345678"
    assert body["place_of_application"] == "Công an quận Ba Đình"
    assert body["application_date"] == "2024-03-01"
    assert body["created_by"] == agent.username
    assert body["created_at"].endswith("+07:00")
    assert Ticket.objects.get(reference=body["reference"]).summary == "Hỏi thủ tục cấp lại thẻ"


def test_create_defaults_to_the_phone_channel(agent, api_client_for):
    response = create(api_client_for(agent))

    assert response.status_code == 201, response.content
    assert response.json()["channel"] == Channel.PHONE


def test_create_accepts_the_e164_form_of_the_phone(agent, api_client_for):
    response = create(api_client_for(agent), caller_phone="+84 912 345 678")

    assert response.status_code == 201, response.content
    assert response.json()["caller_phone"] == "+84912345678"


def test_reference_is_numbered_in_the_month_of_local_time(agent, api_client_for):
    # 31 Jan 18:30 UTC is already 1 Feb 01:30 in Hanoi.
    utc_now = datetime.datetime(2026, 1, 31, 18, 30, tzinfo=datetime.UTC)
    client = api_client_for(agent)

    with mock.patch("django.utils.timezone.now", return_value=utc_now):
        first = create(client)
        second = create(client)

    assert first.status_code == second.status_code == 201, first.content
    assert first.json()["reference"] == "2602-00001"
    assert second.json()["reference"] == "2602-00002"


def test_phone_ticket_is_created_with_its_call(agent, api_client_for):
    started = (timezone.now() - datetime.timedelta(days=2)).replace(microsecond=0)
    ended = started + datetime.timedelta(minutes=4, seconds=30)

    response = create(
        api_client_for(agent),
        call_started_at=started.isoformat(),
        call_ended_at=ended.isoformat(),
    )

    assert response.status_code == 201, response.content
    call = Call.objects.get(ticket__reference=response.json()["reference"])
    assert str(call.caller_phone) == "+84912345678"
    assert call.agent == agent
    assert (call.started_at, call.ended_at) == (started, ended)
    assert call.handle_seconds == 270


def test_ticket_from_another_channel_has_no_call(agent, api_client_for):
    response = create(api_client_for(agent), channel="zalo", contact="8123456789012345678")

    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "zalo"
    assert Call.objects.count() == 0


def test_create_with_resolve_now_answers_a_resolved_ticket(agent, api_client_for):
    response = create(api_client_for(agent), resolve_now=True, resolution_note="Đã giải đáp")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == Status.RESOLVED
    assert body["resolution_code"] == ResolutionCode.ANSWERED
    assert body["resolution_note"] == "Đã giải đáp"
    assert body["resolved_at"] is not None
    stored = Ticket.objects.get(reference=body["reference"])
    assert (stored.status, stored.resolution_code) == (Status.RESOLVED, ResolutionCode.ANSWERED)


@pytest.mark.django_db(transaction=True)
def test_agents_creating_at_once_get_distinct_references(agent, other_agent, api_client_for):
    clients = [api_client_for(agent), api_client_for(other_agent)] * 4
    barrier = threading.Barrier(len(clients))
    results = []

    def create_in_thread(client):
        try:
            barrier.wait(timeout=10)
            results.append(create(client))
        finally:
            connection.close()

    threads = [threading.Thread(target=create_in_thread, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [r.status_code for r in results] == [201] * len(clients)
    refs = {r.json()["reference"] for r in results}
    assert len(refs) == len(clients)
    assert set(Ticket.objects.values_list("reference", flat=True)) == refs


# --- list and filters ---------------------------------------------------------------


def test_list_is_paginated(agent, api_client_for):
    for _ in range(3):
        ticket_for(agent)

    response = api_client_for(agent).get(TICKETS, {"page_size": 2})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] is not None
    assert body["previous"] is None
    second_page = api_client_for(agent).get(body["next"]).json()
    assert len(second_page["results"]) == 1
    assert second_page["previous"] is not None


def test_list_filters_by_status(agent, api_client_for):
    open_ticket = ticket_for(agent)
    escalated = escalated_ticket(agent)
    resolved = ticket_for(agent, resolve_now=True)
    client = api_client_for(agent)

    assert references(client.get(TICKETS, {"status": "open"})) == {open_ticket.reference}
    assert references(client.get(TICKETS, {"status": "escalated"})) == {escalated.reference}
    assert references(client.get(TICKETS, {"status": "resolved"})) == {resolved.reference}


def test_list_refuses_an_unknown_status(agent, api_client_for):
    response = api_client_for(agent).get(TICKETS, {"status": "closed"})

    assert response.status_code == 400
    assert "status" in response.json()


def test_list_filters_by_category(agent, api_client_for):
    complaint = ticket_for(agent, category="complaint")
    ticket_for(agent, category="delayed_card")

    response = api_client_for(agent).get(TICKETS, {"category": "complaint"})

    assert references(response) == {complaint.reference}


def test_list_filters_by_channel(agent, api_client_for):
    zalo = ticket_for(agent, channel=Channel.ZALO)
    ticket_for(agent, channel=Channel.PHONE)

    response = api_client_for(agent).get(TICKETS, {"channel": "zalo"})

    assert references(response) == {zalo.reference}


@pytest.mark.parametrize("phone", ["0912 345 678", "0912345678", "+84912345678"])
def test_list_filters_by_caller_phone_in_national_or_e164_form(agent, api_client_for, phone):
    mine = ticket_for(agent, phone=PHONE_A)
    ticket_for(agent, phone=PHONE_B)

    response = api_client_for(agent).get(TICKETS, {"caller_phone": phone})

    assert references(response) == {mine.reference}


def test_list_filters_tickets_assigned_to_me(agent, officer, other_officer, api_client_for):
    mine = escalated_ticket(agent)
    theirs = escalated_ticket(agent)
    escalated_ticket(agent)
    Ticket.objects.filter(pk=mine.pk).update(status=Status.ASSIGNED, assignee=officer)
    Ticket.objects.filter(pk=theirs.pk).update(status=Status.ASSIGNED, assignee=other_officer)

    response = api_client_for(officer).get(TICKETS, {"assigned_to": "me"})

    assert references(response) == {mine.reference}


def test_list_filters_by_creation_dates_in_local_days(agent, api_client_for):
    late_on_9th = ticket_for(agent)
    early_on_10th = ticket_for(agent)
    on_12th = ticket_for(agent)
    set_created_at(late_on_9th, datetime.datetime(2026, 3, 9, 23, 30, tzinfo=HANOI))
    set_created_at(early_on_10th, datetime.datetime(2026, 3, 10, 0, 15, tzinfo=HANOI))
    set_created_at(on_12th, datetime.datetime(2026, 3, 12, 10, 0, tzinfo=HANOI))
    client = api_client_for(agent)

    assert references(client.get(TICKETS, {"created_from": "2026-03-10"})) == {
        early_on_10th.reference,
        on_12th.reference,
    }
    assert references(client.get(TICKETS, {"created_to": "2026-03-09"})) == {late_on_9th.reference}
    assert references(
        client.get(TICKETS, {"created_from": "2026-03-10", "created_to": "2026-03-11"})
    ) == {early_on_10th.reference}


def test_search_by_reference(agent, api_client_for):
    wanted = ticket_for(agent)
    ticket_for(agent)

    response = api_client_for(agent).get(TICKETS, {"q": wanted.reference})

    assert references(response) == {wanted.reference}


@pytest.mark.parametrize("query", ["0912 345 678", "+84912345678", "345678"])
def test_search_by_phone(agent, api_client_for, query):
    wanted = ticket_for(agent, phone=PHONE_A)
    ticket_for(agent, phone=PHONE_B)

    response = api_client_for(agent).get(TICKETS, {"q": query})

    assert references(response) == {wanted.reference}


# --- detail -------------------------------------------------------------------------


def test_detail_includes_notes_calls_and_history(agent, officer, api_client_for):
    ticket = services.ticket_escalate(ticket=ticket_for(agent), actor=agent, note="Cần tra cứu")
    services.note_add(ticket=ticket, actor=officer, text="Đang xác minh")

    response = api_client_for(officer).get(url(ticket.reference))

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == ticket.reference
    assert body["status"] == Status.ESCALATED
    assert [(n["author"], n["text"]) for n in body["notes"]] == [
        (agent.username, "Cần tra cứu"),
        (officer.username, "Đang xác minh"),
    ]
    assert len(body["calls"]) == 1
    assert body["calls"][0]["caller_phone"] == str(ticket.caller_phone)
    assert body["calls"][0]["agent"] == agent.username
    assert [
        (e["action"], e["actor"], e["from_status"], e["to_status"]) for e in body["history"]
    ] == [
        ("create", agent.username, "", "open"),
        ("escalate", agent.username, "open", "escalated"),
        ("note", agent.username, "escalated", "escalated"),
        ("note", officer.username, "escalated", "escalated"),
    ]


@pytest.mark.parametrize(
    ("method", "action"),
    [("get", ""), ("post", "escalate"), ("post", "resolve"), ("post", "reopen"), ("post", "notes")],
)
def test_unknown_reference_is_404(agent, api_client_for, method, action):
    client = api_client_for(agent)
    payload = {"resolution_code": "answered", "text": "x"}

    response = getattr(client, method)(url("2601-99999", action), payload, format="json")

    assert response.status_code == 404
    assert response.json()["detail"]


# --- actions ------------------------------------------------------------------------


def test_escalate_answers_the_updated_ticket(agent, api_client_for):
    ticket = ticket_for(agent)

    response = api_client_for(agent).post(
        url(ticket.reference, "escalate"), {"note": "Chuyển cán bộ"}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == Status.ESCALATED
    assert body["escalated_at"] is not None
    assert [n["text"] for n in body["notes"]] == ["Chuyển cán bộ"]
    assert Ticket.objects.get(pk=ticket.pk).status == Status.ESCALATED


def test_agent_resolves_own_ticket_through_the_api(agent, api_client_for):
    ticket = ticket_for(agent)

    response = api_client_for(agent).post(
        url(ticket.reference, "resolve"),
        {"resolution_code": "answered", "resolution_note": "Nhận tại công an xã"},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == Status.RESOLVED
    assert body["resolution_code"] == "answered"
    assert body["resolution_note"] == "Nhận tại công an xã"
    assert body["resolved_at"] is not None
    assert Ticket.objects.get(pk=ticket.pk).status == Status.RESOLVED


def test_holder_resolves_assigned_ticket_through_the_api(agent, officer, api_client_for):
    ticket = escalated_ticket(agent)
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.ASSIGNED, assignee=officer)

    response = api_client_for(officer).post(
        url(ticket.reference, "resolve"), {"resolution_code": "duplicate"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.RESOLVED
    assert response.json()["history"][-1]["actor"] == officer.username


def test_resolving_another_agents_ticket_is_forbidden(agent, other_agent, api_client_for):
    ticket = ticket_for(agent)

    response = api_client_for(other_agent).post(
        url(ticket.reference, "resolve"), {"resolution_code": "answered"}, format="json"
    )

    assert response.status_code == 403
    assert ticket.reference in response.json()["detail"]
    assert Ticket.objects.get(pk=ticket.pk).status == Status.OPEN


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_reopen_answers_the_ticket_back_in_the_queue(agent, supervisor, api_client_for, role):
    ticket = ticket_for(agent, resolve_now=True)
    user = {"agent": agent, "supervisor": supervisor}[role]

    response = api_client_for(user).post(
        url(ticket.reference, "reopen"), {"note": "Công dân gọi lại"}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == Status.ESCALATED
    assert body["resolution_code"] == ""
    assert body["resolved_at"] is None
    assert body["history"][-2]["action"] == "reopen"
    assert body["history"][-2]["actor"] == user.username


@pytest.mark.parametrize(
    ("setup", "action", "payload"),
    [
        ("escalated", "escalate", {}),
        ("resolved", "escalate", {"note": "x"}),
        ("escalated", "resolve", {"resolution_code": "answered"}),
        ("resolved", "resolve", {"resolution_code": "answered"}),
        ("open", "reopen", {}),
        ("escalated", "reopen", {"note": "x"}),
    ],
)
def test_illegal_transition_is_409_and_changes_nothing(
    agent, api_client_for, setup, action, payload
):
    ticket = {
        "open": lambda: ticket_for(agent),
        "escalated": lambda: escalated_ticket(agent),
        "resolved": lambda: ticket_for(agent, resolve_now=True),
    }[setup]()
    before = Ticket.objects.values().get(pk=ticket.pk)
    events_before = TicketEvent.objects.count()

    response = api_client_for(agent).post(url(ticket.reference, action), payload, format="json")

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert ticket.reference in detail
    assert len(detail.split()) >= 4
    assert Ticket.objects.values().get(pk=ticket.pk) == before
    assert TicketEvent.objects.count() == events_before
    assert not ticket.notes.exists()


def test_note_is_created(agent, officer, api_client_for):
    ticket = escalated_ticket(agent)

    response = api_client_for(officer).post(
        url(ticket.reference, "notes"), {"text": "Đã liên hệ công an tỉnh"}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["author"], body["text"]) == (officer.username, "Đã liên hệ công an tỉnh")
    assert ticket.notes.get().text == "Đã liên hệ công an tỉnh"
    assert ticket.events.last().action == "note"


# --- caller history -----------------------------------------------------------------


@pytest.mark.parametrize("path_phone", ["+84912345678", "0912345678"])
def test_caller_history_lists_that_numbers_tickets_and_calls_newest_first(
    agent, api_client_for, path_phone
):
    base = datetime.datetime(2026, 2, 2, 8, 0, tzinfo=HANOI)
    older = ticket_for(agent, phone=PHONE_A, call_started_at=base)
    newer = ticket_for(agent, phone=PHONE_A, call_started_at=base + datetime.timedelta(days=1))
    other = ticket_for(agent, phone=PHONE_B, call_started_at=base + datetime.timedelta(days=2))
    set_created_at(older, base)
    set_created_at(newer, base + datetime.timedelta(days=1))
    set_created_at(other, base + datetime.timedelta(days=2))
    unlinked = Call.objects.create(
        caller_phone=PHONE_A, agent=agent, started_at=base + datetime.timedelta(hours=3)
    )

    response = api_client_for(agent).get(f"/api/v1/callers/{path_phone}/history/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["caller_phone"] == PHONE_A
    assert [t["reference"] for t in body["tickets"]] == [newer.reference, older.reference]
    assert [c["id"] for c in body["calls"]] == [
        newer.calls.get().id,
        unlinked.id,
        older.calls.get().id,
    ]
    assert {c["caller_phone"] for c in body["calls"]} == {PHONE_A}


@pytest.mark.parametrize("phone", ["abc", "12", "0912"])
def test_caller_history_of_an_invalid_number_is_400(agent, api_client_for, phone):
    response = api_client_for(agent).get(f"/api/v1/callers/{phone}/history/")

    assert response.status_code == 400
    assert response.json()["caller_phone"]


# --- authentication -----------------------------------------------------------------


def test_token_endpoint_returns_a_token_that_authenticates(agent, client):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": agent.username, "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=agent).key
    listed = client.get(TICKETS, headers={"Authorization": f"Token {token}"})
    assert listed.status_code == 200


def test_token_endpoint_refuses_a_bad_password(agent, client):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": agent.username, "password": "wrong"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "token" not in response.json()
    assert not Token.objects.filter(user=agent).exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", TICKETS),
        ("post", TICKETS),
        ("get", url("2601-00001")),
        ("post", url("2601-00001", "escalate")),
        ("get", "/api/v1/callers/+84912345678/history/"),
    ],
)
def test_anonymous_request_is_401(db, api_client_for, method, path):
    response = getattr(api_client_for(None), method)(path)

    assert response.status_code == 401
    assert response.json()["detail"]


def test_bad_token_is_401(db, api_client_for):
    client = api_client_for(None)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.get(TICKETS).status_code == 401


def test_anonymous_create_writes_nothing(db, api_client_for):
    response = create(api_client_for(None))

    assert response.status_code == 401
    assert Ticket.objects.count() == 0
    assert Call.objects.count() == 0


HANDLED = datetime.timedelta(seconds=95)


def test_the_fast_paths_write_what_the_serializers_write(
    agent, other_agent, officer, supervisor
):
    from types import SimpleNamespace

    from tests.citizens.factories import application as card_application
    from tickets.api.serializers import (
        TicketDetailSerializer,
        TicketSerializer,
        ticket_body,
        ticket_detail_body,
    )
    from tickets.selectors import get_ticket_for

    answered = services.ticket_create(
        actor=agent, caller_phone="+84912345678", category="other", summary="Hỏi",
        identity={"caller_name": "Nguyễn Văn An", "date_of_birth": datetime.date(1990, 5, 17),
                  "cccd_number": "001090012345", "old_id_number": "", "place_of_application": "",
                  "application_date": datetime.date(2026, 3, 1)},
        resolve_now=True, resolution_note="Đã trả lời",
    )  # fmt: skip
    worked = services.ticket_create(
        actor=agent, caller_phone="+84987654321", category="delayed_card", summary="Chậm",
        escalate_now=True,
    )  # fmt: skip
    worked = services.ticket_claim(ticket=worked, actor=officer)
    services.ticket_link_application(
        ticket=worked, actor=officer, application_number=card_application().application_number
    )
    zalo = services.ticket_create(
        actor=agent, caller_phone=None, category="other", summary="Zalo", channel="zalo",
        contact="4012345678901234567",
    )  # fmt: skip

    services.note_add(ticket=worked, actor=officer, text="Đã gọi lại")
    Call.objects.filter(ticket=answered).update(ended_at=answered.created_at + HANDLED)

    for ticket in (answered, worked, zalo):
        for user in (agent, other_agent, officer, supervisor):
            context = {"request": SimpleNamespace(user=user)}
            plain = Ticket.objects.with_people().get(pk=ticket.pk)
            expected = TicketSerializer(plain, context=context).data
            assert ticket_body(plain, user) == expected, (ticket.reference, user)
            detailed = get_ticket_for(user, ticket.reference, detail=True)
            expected = TicketDetailSerializer(detailed, context=context).data
            assert ticket_detail_body(detailed, user) == expected, (ticket.reference, user)
