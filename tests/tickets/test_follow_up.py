"""Follow-up calls (SPEC §8.1): one case per citizen, many contacts."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from reporting import stats
from tests.factories import escalated_ticket, ticket_for
from tickets import selectors, services
from tickets.models import Call, Priority, Status, Ticket, TicketEvent, TicketNote

pytestmark = pytest.mark.django_db
PHONE = "+84912345678"


def url(ticket):
    return f"/api/v1/tickets/{ticket.reference}/calls/"


def counts():
    return (
        Call.objects.count(),
        TicketEvent.objects.count(),
        TicketNote.objects.count(),
        list(Ticket.objects.order_by("pk").values_list("status", "contact_count", "priority")),
    )


def test_a_new_ticket_has_one_contact(agent, api_client_for):
    body = api_client_for(agent).post(
        "/api/v1/tickets/",
        {"caller_phone": "0912345678", "category": "other", "summary": "Hỏi giờ làm việc"},
        format="json",
    )
    assert body.json()["contact_count"] == 1


def test_follow_up_joins_the_open_ticket_with_its_call_note_and_history(agent, api_client_for):
    ticket = escalated_ticket(agent)
    started = timezone.now() - datetime.timedelta(minutes=4)
    response = api_client_for(agent).post(
        url(ticket),
        {"call_started_at": started.isoformat(), "note": "Công dân gọi lại hỏi tiến độ"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["reference"] == ticket.reference
    assert body["contact_count"] == 2
    assert body["status"] == Status.ESCALATED
    assert len(body["calls"]) == 2
    assert body["notes"][-1]["text"] == "Công dân gọi lại hỏi tiến độ"
    assert body["history"][-2]["action"] == "add_call"
    call = Call.objects.get(ticket=ticket, follow_up=True)
    assert call.agent == agent and str(call.caller_phone) == PHONE
    assert abs((call.started_at - started).total_seconds()) < 1


def test_the_third_contact_raises_the_ticket_to_the_front_of_the_queue(agent, api_client_for):
    older = escalated_ticket(agent, phone="+84987654321")
    ticket = escalated_ticket(agent)
    client = api_client_for(agent)
    client.post(url(ticket), {}, format="json")
    assert Ticket.objects.get(pk=ticket.pk).priority == Priority.NORMAL
    assert client.post(url(ticket), {}, format="json").json()["contact_count"] == 3

    assert Ticket.objects.get(pk=ticket.pk).priority == Priority.HIGH
    assert list(selectors.officer_queue())[:2] == [Ticket.objects.get(pk=ticket.pk), older]


def test_a_follow_up_on_a_resolved_ticket_needs_reopen_and_changes_nothing(agent, api_client_for):
    ticket = ticket_for(agent, resolve_now=True)
    before = counts()
    response = api_client_for(agent).post(url(ticket), {"note": "x"}, format="json")

    assert response.status_code == 409
    assert ticket.reference in response.json()["detail"]
    assert counts() == before


def test_a_follow_up_with_reopen_brings_a_recent_case_back_to_the_queue(agent, api_client_for):
    ticket = ticket_for(agent, resolve_now=True)
    response = api_client_for(agent).post(url(ticket), {"reopen": True}, format="json")

    assert response.status_code == 201
    assert response.json()["status"] == Status.ESCALATED
    assert response.json()["contact_count"] == 2
    assert ticket.reference in [t.reference for t in selectors.officer_queue()]


def test_a_case_resolved_more_than_14_days_ago_is_not_reopened(agent, api_client_for):
    ticket = ticket_for(agent, resolve_now=True)
    Ticket.objects.filter(pk=ticket.pk).update(
        resolved_at=timezone.now() - datetime.timedelta(days=15)
    )
    before = counts()
    response = api_client_for(agent).post(url(ticket), {"reopen": True}, format="json")

    assert response.status_code == 409
    assert "14" in response.json()["detail"]
    assert counts() == before


def test_a_pbx_call_joins_once_and_never_a_second_ticket(agent, pbx, api_client_for):
    first, second = escalated_ticket(agent), escalated_ticket(agent, phone="+84987654321")
    at = (timezone.now() - datetime.timedelta(minutes=2)).isoformat()
    for event in ("ringing", "answered"):
        api_client_for(pbx).post(
            "/api/v1/cti/events/",
            {"call_id": "pbx-9", "event": event, "caller_number": "0912345678",
             "agent_extension": "101", "at": at},
            format="json",
        )  # fmt: skip
    client = api_client_for(agent)

    assert client.post(url(first), {"pbx_call_id": "pbx-9"}, format="json").status_code == 201
    assert Call.objects.get(pbx_call_id="pbx-9").ticket_id == first.pk
    before = counts()
    again = client.post(url(second), {"pbx_call_id": "pbx-9"}, format="json")
    assert again.status_code == 409
    assert counts() == before
    unknown = client.post(url(second), {"pbx_call_id": "nope"}, format="json")
    assert unknown.status_code == 400 and "pbx_call_id" in unknown.json()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"call_started_at": "yesterday"}, "call_started_at"),
        ({"call_started_at": "2999-01-01T10:00:00+07:00"}, "call_started_at"),
        ({"call_ended_at": timezone.now().isoformat()}, "call_started_at"),
        ({"reopen": "yes"}, "reopen"),
        ({"note": "x" * 10_001}, "note"),
    ],
)
def test_bad_follow_up_input_is_a_400_naming_the_field(data, field, agent, api_client_for):
    ticket = escalated_ticket(agent)
    before = counts()
    response = api_client_for(agent).post(url(ticket), data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert counts() == before


def test_a_follow_up_on_an_unknown_reference_is_a_404(agent, api_client_for):
    assert api_client_for(agent).post("/api/v1/tickets/2601-99999/calls/", {}).status_code == 404


@pytest.mark.parametrize("role", ["officer", "supervisor", "print_desk", "pbx"])
def test_only_agents_add_follow_up_calls(role, users, agent, api_client_for):
    ticket = escalated_ticket(agent)
    response = api_client_for(users[role]).post(url(ticket), {}, format="json")
    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).contact_count == 1


def test_anonymous_follow_up_is_refused(agent, api_client_for):
    ticket = escalated_ticket(agent)
    assert api_client_for(None).post(url(ticket), {}).status_code == 401


@pytest.mark.django_db(transaction=True)
def test_two_follow_ups_at_once_both_count(agent, other_agent):
    ticket = escalated_ticket(agent)
    barrier = threading.Barrier(2)
    errors = []

    def follow_up(user):
        try:
            barrier.wait()
            services.ticket_add_call(actor=user, ticket=ticket)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=follow_up, args=(u,)) for u in (agent, other_agent)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Ticket.objects.get(pk=ticket.pk).contact_count == 3
    assert Call.objects.filter(ticket=ticket, follow_up=True).count() == 2


def test_the_holder_sees_that_the_caller_rang_again(agent, officer, client_for):
    ticket = escalated_ticket(agent)
    services.ticket_claim(actor=officer, ticket=ticket)
    services.ticket_add_call(actor=agent, ticket=ticket)

    html = client_for(officer).get(f"/tickets/{ticket.reference}/").content.decode()
    assert 'id="rang-again"' in html


# --- the console ----------------------------------------------------------------------

GOOD = {"caller_phone": "0912 345 678", "category": "delayed_card", "summary": "Vẫn chưa có thẻ"}


def test_caller_history_offers_to_add_the_call_to_the_open_ticket(agent, client_for):
    ticket = escalated_ticket(agent)
    resolved = ticket_for(agent, category="other", resolve_now=True)
    html = (
        client_for(agent).post("/console/history/", {"caller_phone": "0912345678"}).content.decode()
    )
    assert f'name="follow_up" value="{ticket.reference}"' in html
    assert 'id="add-call-first"' in html
    assert f'name="reopen" value="{resolved.reference}"' in html


def test_caller_history_finds_the_case_by_cccd_number_from_another_phone(agent, client_for):
    ticket = escalated_ticket(agent, identity={"cccd_number": "001090012345"})
    html = (
        client_for(agent)
        .post("/console/history/", {"caller_phone": "0987 654 321", "cccd_number": "001090012345"})
        .content.decode()
    )
    assert f'value="{ticket.reference}"' in html


def test_console_adds_the_call_with_the_summary_as_a_note(agent, client_for):
    ticket = escalated_ticket(agent)
    response = client_for(agent).post("/console/", {**GOOD, "follow_up": ticket.reference})

    assert response.status_code == 302
    assert response["Location"].endswith(f"?added={ticket.reference}")
    ticket.refresh_from_db()
    assert ticket.contact_count == 2
    assert ticket.notes.get().text == GOOD["summary"]
    assert Ticket.objects.count() == 1


def test_console_refuses_a_follow_up_on_a_resolved_ticket_with_a_message(agent, client_for):
    ticket = ticket_for(agent, resolve_now=True)
    response = client_for(agent).post("/console/", {**GOOD, "follow_up": ticket.reference})

    assert response.status_code == 400
    assert 'id="follow-up-errors"' in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).contact_count == 1


def test_console_asks_before_a_second_ticket_about_the_same_thing(agent, client_for):
    ticket = escalated_ticket(agent)
    client = client_for(agent)
    response = client.post("/console/", {**GOOD, "action": "resolve"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="duplicates"' in html and ticket.reference in html
    assert Ticket.objects.count() == 1
    confirmed = client.post("/console/", {**GOOD, "action": "resolve", "confirm_new": "1"})
    assert confirmed.status_code == 302
    assert Ticket.objects.count() == 2


def test_api_creates_the_ticket_and_lists_the_open_ones_of_the_same_category(agent, api_client_for):
    ticket = escalated_ticket(agent)
    ticket_for(agent, category="other")
    body = (
        api_client_for(agent)
        .post(
            "/api/v1/tickets/",
            {
                "caller_phone": "0912345678",
                "category": "delayed_card",
                "summary": "Lại chưa có thẻ",
            },
            format="json",
        )
        .json()
    )

    assert [t["reference"] for t in body["open_tickets"]] == [ticket.reference]
    assert Ticket.objects.count() == 3


def test_api_caller_history_lists_the_open_and_reopenable_tickets(agent, api_client_for):
    open_ticket = escalated_ticket(agent)
    resolved = ticket_for(agent, category="other", resolve_now=True)
    body = api_client_for(agent).get(f"/api/v1/callers/{PHONE}/history/").json()

    assert [t["reference"] for t in body["open_tickets"]] == [open_ticket.reference]
    assert [t["reference"] for t in body["reopenable_tickets"]] == [resolved.reference]


def test_repeat_contacts_count_follow_ups_on_tickets_of_earlier_days(agent):
    old = escalated_ticket(agent)
    Ticket.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    new = escalated_ticket(agent, phone="+84987654321")
    for ticket in (old, old, new):
        services.ticket_add_call(actor=agent, ticket=ticket)
    today = timezone.localdate()

    (row,) = stats.daily(today, today)
    expected = Call.objects.filter(follow_up=True, ticket__created_at__date__lt=today).count()
    assert row["repeat_contacts"] == expected == 2


def test_the_queue_shows_the_holder_that_the_caller_rang_again(agent, officer, client_for):
    ticket = escalated_ticket(agent)
    services.ticket_claim(actor=officer, ticket=ticket)
    services.ticket_add_call(actor=agent, ticket=ticket)
    waiting = escalated_ticket(agent, phone="+84987654321")
    services.ticket_add_call(actor=agent, ticket=waiting)

    html = client_for(officer).get("/queue/").content.decode()
    mine = html[html.index('id="my-tickets"') :]
    assert "rang-again" in mine and ticket.reference in mine
    assert "2 lần liên hệ" in html[: html.index('id="my-tickets"')]
