"""Bad input to the tickets API: a 400 naming the field, and nothing written (SPEC §3, §5)."""

import datetime
import json

import pytest
from django.utils import timezone

from tests.factories import ticket_for
from tickets.models import Call, Status, Ticket, TicketEvent, TicketNote

TICKETS = "/api/v1/tickets/"
VALID = {"caller_phone": "0912 345 678", "category": "delayed_card", "summary": "Chưa có thẻ"}


def messages(body, field):
    """All messages under `field`, as one string."""
    value = body[field]
    return " ".join(value) if isinstance(value, list) else str(value)


def counts():
    return (
        Ticket.objects.count(),
        Call.objects.count(),
        TicketEvent.objects.count(),
        TicketNote.objects.count(),
    )


@pytest.fixture
def post_create(agent, api_client_for):
    """POST a ticket that must be refused; return the error body after checking that
    the answer is a 400 and that nothing was written."""
    client = api_client_for(agent)

    def post(fields=None, *, raw=None, field=None):
        before = counts()
        if raw is not None:
            response = client.post(TICKETS, raw, content_type="application/json")
        else:
            response = client.post(TICKETS, {**VALID, **fields}, format="json")
        assert response.status_code == 400, response.content
        assert counts() == before
        body = response.json()
        if field is not None:
            assert field in body, body
            assert messages(body, field).strip()
        return body

    return post


@pytest.fixture
def post_ok(agent, api_client_for):
    client = api_client_for(agent)

    def post(fields):
        response = client.post(TICKETS, {**VALID, **fields}, format="json")
        assert response.status_code == 201, response.content
        return response.json()

    return post


def test_valid_payload_is_accepted(post_ok):
    assert post_ok({})["status"] == Status.OPEN


# --- caller phone -------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "abcdefghij",
        "0912 abc 678",
        "09123",
        "12",
        "9" * 100,
        "0912345678" * 10,
        "",
        None,
        12345,
        84912345678,
        ["0912345678"],
    ],
    ids=[
        "letters",
        "letters-inside",
        "too-short",
        "two-digits",
        "100-digits",
        "100-chars",
        "blank",
        "null",
        "short-number",
        "json-number",
        "list",
    ],
)
def test_invalid_caller_phone_is_refused(post_create, phone):
    post_create({"caller_phone": phone}, field="caller_phone")


def test_missing_caller_phone_is_refused(post_create):
    fields = {key: value for key, value in VALID.items() if key != "caller_phone"}
    post_create(raw=json.dumps(fields), field="caller_phone")


# --- CCCD number --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cccd", "expected_in_message"),
    [
        ("00109001234A", "00109001234A"),
        ("001-090-O12345", "001-090-O12345"),
        ("0010900123", "10"),
        ("0010900123456", "13"),
        ("003090012345", "003"),  # 003 is not in provinces.csv
        ("099090012345", "099"),
        ("001299012345", "2099"),  # digit 2 → 2000s, so born in 2099
        ("001400012345", "2100"),  # digit 4 → 2100s
    ],
    ids=[
        "letter",
        "letter-o",
        "10-digits",
        "13-digits",
        "province-003",
        "province-099",
        "future-2099",
        "future-2100",
    ],  # fmt: skip
)
def test_malformed_cccd_is_refused_with_a_precise_message(post_create, cccd, expected_in_message):
    body = post_create({"cccd_number": cccd}, field="cccd_number")

    assert expected_in_message in messages(body, "cccd_number")


def test_cccd_that_disagrees_with_the_date_of_birth_is_refused(post_create):
    body = post_create(
        {"cccd_number": "001090012345", "date_of_birth": "1991-04-02"}, field="cccd_number"
    )

    text = messages(body, "cccd_number")
    assert "1990" in text
    assert "1991" in text


def test_cccd_with_the_wrong_century_for_the_date_of_birth_is_refused(post_create):
    # Digit 0 means born in the 1900s: 1904, not 2004.
    body = post_create(
        {"cccd_number": "001004012345", "date_of_birth": "2004-06-01"}, field="cccd_number"
    )

    assert "1904" in messages(body, "cccd_number")


def test_cccd_with_spaces_is_accepted_and_stored_normalized(post_ok):
    body = post_ok({"cccd_number": "001 090 012345", "date_of_birth": "1990-01-15"})

    assert body["cccd_number"] == "001090012345"
    assert Ticket.objects.get(reference=body["reference"]).cccd_number == "001090012345"


def test_cccd_of_a_woman_born_in_2004_is_accepted(post_ok):
    body = post_ok({"cccd_number": "079304123456", "date_of_birth": "2004-11-30"})

    assert body["cccd_number"] == "079304123456"


# --- old ID number ------------------------------------------------------------------


@pytest.mark.parametrize("old_id", ["012345678", "012345678901", "012 345 678"])
def test_old_id_of_9_or_12_digits_is_accepted(post_ok, old_id):
    body = post_ok({"old_id_number": old_id})

    assert body["old_id_number"] == old_id.replace(" ", "")


@pytest.mark.parametrize(
    ("old_id", "expected_in_message"),
    [("0123456789", "10"), ("12345678", "8"), ("01234567A", "01234567A"), ("abcdefghi", "abc")],
)
def test_malformed_old_id_is_refused(post_create, old_id, expected_in_message):
    body = post_create({"old_id_number": old_id}, field="old_id_number")

    assert expected_in_message in messages(body, "old_id_number")


# --- dates --------------------------------------------------------------------------


def test_date_of_birth_in_the_future_is_refused(post_create):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    body = post_create({"date_of_birth": tomorrow}, field="date_of_birth")

    assert tomorrow in messages(body, "date_of_birth")


def test_date_of_birth_before_1900_is_refused(post_create):
    body = post_create({"date_of_birth": "1899-12-31"}, field="date_of_birth")

    assert "1899-12-31" in messages(body, "date_of_birth")


def test_application_date_in_the_future_is_refused(post_create):
    next_week = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()

    body = post_create({"application_date": next_week}, field="application_date")

    assert next_week in messages(body, "application_date")


def test_application_date_before_the_date_of_birth_is_refused(post_create):
    post_create(
        {"date_of_birth": "1990-05-17", "application_date": "1990-05-16"},
        field="application_date",
    )


@pytest.mark.parametrize("field", ["date_of_birth", "application_date"])
@pytest.mark.parametrize("value", ["2023-02-30", "2023-13-01", "17/05/1990", "yesterday", 20230101])
def test_impossible_or_malformed_date_is_refused(post_create, field, value):
    post_create({field: value}, field=field)


def test_call_end_before_call_start_is_refused(post_create):
    start = timezone.now() - datetime.timedelta(minutes=10)
    end = start - datetime.timedelta(minutes=1)

    post_create(
        {"call_started_at": start.isoformat(), "call_ended_at": end.isoformat()},
        field="call_ended_at",
    )


def test_call_start_in_the_future_is_refused(post_create):
    later = timezone.now() + datetime.timedelta(hours=1)

    post_create({"call_started_at": later.isoformat()}, field="call_started_at")


# --- JSON types and shapes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("summary", 123),
        ("summary", ["Chưa có thẻ"]),
        ("summary", None),
        ("summary", ""),
        ("resolve_now", "yes"),
        ("resolve_now", "true"),
        ("resolve_now", 1),
        ("category", 5),
        ("category", "lost_card"),
        ("channel", "fax"),
        ("caller_name", {}),
        ("caller_name", 42),
        ("cccd_number", 1090012345),
    ],
)
def test_value_of_the_wrong_type_or_choice_is_refused(post_create, field, value):
    post_create({field: value}, field=field)


def test_unknown_category_message_names_the_value(post_create):
    body = post_create({"category": 5}, field="category")

    assert "5" in messages(body, "category")


def test_body_that_is_a_json_array_is_refused(post_create):
    body = post_create(raw=json.dumps([VALID]))

    assert body["non_field_errors"]


def test_malformed_json_is_refused(post_create):
    body = post_create(raw='{"caller_phone": "0912345678", "summary": ')

    assert body["detail"]


# --- text limits --------------------------------------------------------------------


def test_summary_over_4000_characters_is_refused_not_cut(post_create):
    body = post_create({"summary": "a" * 100_000}, field="summary")

    assert "4000" in messages(body, "summary")


def test_summary_of_exactly_4000_characters_is_accepted(post_ok):
    body = post_ok({"summary": "â" * 4000})

    assert len(Ticket.objects.get(reference=body["reference"]).summary) == 4000


def test_resolution_note_over_10000_characters_is_refused(post_create):
    post_create({"resolve_now": True, "resolution_note": "x" * 10_001}, field="resolution_note")


def test_note_over_10000_characters_is_refused(agent, api_client_for):
    ticket = ticket_for(agent)
    before = counts()

    response = api_client_for(agent).post(
        f"{TICKETS}{ticket.reference}/notes/", {"text": "x" * 10_001}, format="json"
    )

    assert response.status_code == 400
    assert "10000" in messages(response.json(), "text")
    assert counts() == before


@pytest.mark.parametrize("text", ["", None, 42])
def test_empty_or_non_string_note_is_refused(agent, api_client_for, text):
    ticket = ticket_for(agent)
    before = counts()

    response = api_client_for(agent).post(
        f"{TICKETS}{ticket.reference}/notes/", {"text": text}, format="json"
    )

    assert response.status_code == 400
    assert "text" in response.json()
    assert counts() == before


def test_escalation_note_over_10000_characters_is_refused(agent, api_client_for):
    ticket = ticket_for(agent)

    response = api_client_for(agent).post(
        f"{TICKETS}{ticket.reference}/escalate/", {"note": "x" * 10_001}, format="json"
    )

    assert response.status_code == 400
    assert "note" in response.json()
    assert Ticket.objects.get(pk=ticket.pk).status == Status.OPEN


# --- resolve input ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["reprinted", "fixed", "", None])
def test_resolve_with_a_code_agents_may_not_choose_is_refused(agent, api_client_for, code):
    ticket = ticket_for(agent)
    before = counts()

    response = api_client_for(agent).post(
        f"{TICKETS}{ticket.reference}/resolve/", {"resolution_code": code}, format="json"
    )

    assert response.status_code == 400
    assert "resolution_code" in response.json()
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.status, stored.resolution_code) == (Status.OPEN, "")
    assert counts() == before


def test_resolve_without_a_code_is_refused(agent, api_client_for):
    ticket = ticket_for(agent)

    response = api_client_for(agent).post(
        f"{TICKETS}{ticket.reference}/resolve/", {}, format="json"
    )

    assert response.status_code == 400
    assert "resolution_code" in response.json()
    assert Ticket.objects.get(pk=ticket.pk).status == Status.OPEN


def test_rest_frameworks_own_messages_are_vietnamese_too(agent, api_client_for):
    client = api_client_for(agent)

    body = client.post(
        "/api/v1/tickets/", {"category": None}, format="json", HTTP_ACCEPT_LANGUAGE="vi"
    ).json()

    assert body["category"] == ["Trường này không được để null."]
    assert body["summary"] == ["Trường này là bắt buộc."]
    anonymous = api_client_for(None).get("/api/v1/tickets/", HTTP_ACCEPT_LANGUAGE="vi")
    assert anonymous.json()["detail"] == "Chưa cung cấp thông tin xác thực."
