"""The reprint API (SPEC §5; issue 4): an officer's reprint request, the batches and
their files, building a batch now, and the print desk's word on each card."""

import contextlib
import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from citizens.models import ApplicationStatus, CardApplication
from reprints import services
from reprints.models import Reason, ReprintBatch, ReprintItem, SmsMessage
from tests.citizens.factories import application as card_application
from tests.factories import escalated_ticket
from tests.tickets.test_claim import held_by, reload
from tickets import services as ticket_services
from tickets.models import ResolutionCode, Status

BATCHES = "/api/v1/reprint-batches/"
RUN = "/api/v1/reprint-batches/run/"
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
S = ApplicationStatus
UNIT = "Công an quận Ba Đình"


def request_url(reference):
    return f"/api/v1/tickets/{reference}/request-reprint/"


def mark_url(item_id):
    return f"/api/v1/reprint-items/{item_id}/mark/"


def batch_url(number, suffix=""):
    return f"{BATCHES}{number}/{suffix}"


# --- arranging state (imported by the other reprint test modules) ---------------------


@contextlib.contextmanager
def celery_eager():
    """Run Celery tasks in-process for the block: the suite sets REDIS_URL, so `.delay()`
    would otherwise only queue the task for a worker."""
    from callcenter.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = before


@pytest.fixture
def eager_tasks():
    with celery_eager():
        yield


def linked_ticket(agent, officer, app, *, phone="+84912345678"):
    """An escalated ticket held by the officer, linked to the application."""
    ticket = held_by(officer, escalated_ticket(agent, phone=phone))
    ticket_services.ticket_link_application(
        ticket=ticket, actor=officer, application_number=app.application_number
    )
    return reload(ticket)


def awaiting_reprint(
    agent, officer, index=1, *, reason=Reason.SLOW_PRINTING, app=None, status=S.PRINTING, **kwargs
):
    """A ticket whose linked card is on the reprint list; the ticket and its item.
    Without `app`, the card is application HS22030000`index`, CCCD 0010900123`index`."""
    app = app or card_application(
        application_number=f"HS22030000{index:02d}",
        cccd_number=f"0010900123{index:02d}",
        status=status,
        receiving_unit=UNIT,
        **kwargs,
    )
    ticket = linked_ticket(agent, officer, app, phone=f"+849123456{index:02d}")
    item = services.reprint_request(ticket=ticket, actor=officer, reason=reason)
    return reload(ticket), item


def built_batch(agent, officer, indexes=(1,)):
    """A batch of one reprint per index; the batch and its tickets, in item order."""
    tickets = [awaiting_reprint(agent, officer, i)[0] for i in indexes]
    batch = services.batch_build()
    assert batch is not None
    return batch, tickets


def item_of(ticket):
    return ReprintItem.objects.get(tickets=ticket)


# --- request a reprint ----------------------------------------------------------------


def test_holder_requests_a_reprint_and_the_ticket_awaits_it(agent, officer, api_client_for):
    app = card_application(status=S.PRINTING)
    ticket = linked_ticket(agent, officer, app)

    response = api_client_for(officer).post(
        request_url(ticket.reference), {"reason": "slow_printing"}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["reference"], body["status"]) == (ticket.reference, Status.AWAITING_REPRINT)
    assert body["history"][-1]["action"] == "request_reprint"
    assert reload(ticket).status == Status.AWAITING_REPRINT
    item = ReprintItem.objects.get(application=app)
    assert (item.reason, item.batch, item.active, item.outcome) == (
        Reason.SLOW_PRINTING,
        None,
        True,
        ReprintItem.Outcome.PENDING,
    )
    assert list(item.tickets.all()) == [reload(ticket)]


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        ("slow_approval", S.RECEIVED),
        ("slow_printing", S.APPROVED),
        ("slow_printing", S.PRINTING),
        ("card_defect", S.PRINTED),
        ("card_defect", S.DISPATCHED),
        ("card_defect", S.DELIVERED),
    ],
)
def test_reason_that_fits_the_application_is_accepted(
    agent, officer, api_client_for, reason, status
):
    ticket = linked_ticket(agent, officer, card_application(status=status))

    response = api_client_for(officer).post(
        request_url(ticket.reference), {"reason": reason}, format="json"
    )

    assert response.status_code == 200, response.content
    assert ReprintItem.objects.get(tickets=ticket).reason == reason


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        ("slow_approval", S.PRINTING),
        ("slow_printing", S.RECEIVED),
        ("slow_printing", S.DELIVERED),
        ("card_defect", S.APPROVED),
    ],
)
def test_reason_that_does_not_fit_the_application_is_400_naming_reason(
    agent, officer, api_client_for, reason, status
):
    ticket = linked_ticket(agent, officer, card_application(status=status))

    response = api_client_for(officer).post(
        request_url(ticket.reference), {"reason": reason}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["reason"]
    assert response.json()["reason"][0]
    assert reload(ticket).status == Status.ASSIGNED
    assert not ReprintItem.objects.exists()


@pytest.mark.parametrize("reason", Reason.values)
def test_rejected_application_cannot_be_reprinted(agent, officer, api_client_for, reason):
    ticket = linked_ticket(agent, officer, card_application(status=S.REJECTED))

    response = api_client_for(officer).post(
        request_url(ticket.reference), {"reason": reason}, format="json"
    )

    assert response.status_code == 400
    assert "reason" in response.json()
    assert reload(ticket).status == Status.ASSIGNED
    assert not ReprintItem.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [{}, {"reason": ""}, {"reason": "lost"}, {"reason": 1}, {"reason": None}, {"reason": ["x"]}],
)
def test_missing_or_unknown_reason_is_400_naming_reason(agent, officer, api_client_for, payload):
    ticket = linked_ticket(agent, officer, card_application(status=S.PRINTING))

    response = api_client_for(officer).post(request_url(ticket.reference), payload, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()
    assert reload(ticket).status == Status.ASSIGNED


def test_request_body_that_is_not_an_object_is_400(agent, officer, api_client_for):
    ticket = linked_ticket(agent, officer, card_application(status=S.PRINTING))

    response = api_client_for(officer).post(
        request_url(ticket.reference), ["slow_printing"], format="json"
    )

    assert response.status_code == 400
    assert reload(ticket).status == Status.ASSIGNED


def test_reprint_without_a_linked_application_is_409(agent, officer, api_client_for):
    ticket = held_by(officer, escalated_ticket(agent))

    response = api_client_for(officer).post(
        request_url(ticket.reference), {"reason": "slow_printing"}, format="json"
    )

    assert response.status_code == 409
    assert ticket.reference in response.json()["detail"]
    assert reload(ticket).status == Status.ASSIGNED
    assert not ReprintItem.objects.exists()


def test_reprint_by_an_officer_who_does_not_hold_the_ticket_is_403(
    agent, officer, other_officer, api_client_for
):
    ticket = linked_ticket(agent, officer, card_application(status=S.PRINTING))

    response = api_client_for(other_officer).post(
        request_url(ticket.reference), {"reason": "slow_printing"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["detail"]
    assert (reload(ticket).status, reload(ticket).assignee) == (Status.ASSIGNED, officer)
    assert not ReprintItem.objects.exists()


def test_second_request_for_a_ticket_already_awaiting_a_reprint_is_409(
    agent, officer, api_client_for
):
    ticket, item = awaiting_reprint(agent, officer)

    response = api_client_for(officer).post(
        request_url(ticket.reference), {"reason": "slow_printing"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["detail"]
    assert ReprintItem.objects.get() == item


def test_reprint_of_an_unknown_ticket_is_404(officer, api_client_for):
    response = api_client_for(officer).post(
        request_url("2601-99999"), {"reason": "slow_printing"}, format="json"
    )

    assert response.status_code == 404


def test_tickets_about_the_same_card_share_one_reprint_item(
    agent, officer, other_officer, api_client_for
):
    app = card_application(status=S.PRINTING)
    first = linked_ticket(agent, officer, app)
    second = linked_ticket(agent, other_officer, app, phone="+84987654321")

    for user, ticket in ((officer, first), (other_officer, second)):
        response = api_client_for(user).post(
            request_url(ticket.reference), {"reason": "slow_printing"}, format="json"
        )
        assert response.status_code == 200, response.content

    item = ReprintItem.objects.get()
    assert sorted(t.reference for t in item.tickets.all()) == sorted(
        [first.reference, second.reference]
    )


# --- batches --------------------------------------------------------------------------


def test_batch_list_is_paginated_newest_first_with_item_counts(
    agent, officer, print_desk, api_client_for
):
    built_batch(agent, officer, (1, 2))
    built_batch(agent, officer, (3,))

    response = api_client_for(print_desk).get(BATCHES)

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    rows = [(r["number"], r["status"], r["item_count"]) for r in body["results"]]
    assert rows == [(2, "open", 1), (1, "open", 2)]
    created = datetime.datetime.fromisoformat(body["results"][0]["created_at"])
    assert created.utcoffset() is not None
    assert abs(timezone.now() - created) < datetime.timedelta(minutes=1)


def test_batch_list_pages_follow_page_size(agent, officer, print_desk, api_client_for):
    for index in (1, 2, 3):
        built_batch(agent, officer, (index,))
    client = api_client_for(print_desk)

    first = client.get(BATCHES, {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert [r["number"] for r in first["results"]] == [3, 2]
    assert [r["number"] for r in second["results"]] == [1]
    assert (second["next"], second["previous"] is not None) == (None, True)


def test_empty_batch_list_is_an_empty_page(supervisor, api_client_for):
    response = api_client_for(supervisor).get(BATCHES)

    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_batch_list_query_count_does_not_grow_with_batches(
    agent, officer, print_desk, api_client_for
):
    client = api_client_for(print_desk)
    built_batch(agent, officer, (1,))
    client.get(BATCHES)  # warm the caches a first request fills (permissions)
    with CaptureQueriesContext(connection) as one:
        assert client.get(BATCHES).status_code == 200
    for index in (2, 3, 4, 5):
        built_batch(agent, officer, (index, index + 10))

    with CaptureQueriesContext(connection) as five:
        response = client.get(BATCHES)

    assert response.json()["count"] == 5
    assert len(five) == len(one) <= 4


def test_batch_detail_lists_every_item_with_the_print_columns(
    agent, officer, other_officer, print_desk, api_client_for
):
    ticket, item = awaiting_reprint(agent, officer, 1)
    second = linked_ticket(agent, other_officer, item.application, phone="+84987654321")
    services.reprint_request(ticket=second, actor=other_officer, reason=Reason.SLOW_PRINTING)
    defect, _ = awaiting_reprint(
        agent, officer, 2, status=S.DELIVERED, reason=Reason.CARD_DEFECT, full_name="Trần Thị Bình"
    )
    batch = services.batch_build()

    response = api_client_for(print_desk).get(batch_url(batch.number))

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["number"], body["status"], body["item_count"]) == (batch.number, "open", 2)
    columns = (
        "application_number", "cccd_number", "full_name", "date_of_birth",
        "receiving_unit", "reason", "outcome",
    )  # fmt: skip
    assert [tuple(row[c] for c in columns) for row in body["items"]] == [
        ("HS2203000001", "001090012301", "Nguyễn Văn An", "1990-05-17",
         UNIT, "slow_printing", "pending"),
        ("HS2203000002", "001090012302", "Trần Thị Bình", "1990-05-17",
         UNIT, "card_defect", "pending"),
    ]  # fmt: skip
    assert sorted(body["items"][0]["tickets"]) == sorted([ticket.reference, second.reference])
    assert body["items"][1]["tickets"] == [defect.reference]
    assert body["items"][0]["id"] == item.pk


def test_batch_detail_query_count_does_not_grow_with_items(
    agent, officer, print_desk, api_client_for
):
    client = api_client_for(print_desk)
    small, _ = built_batch(agent, officer, (1,))
    large, _ = built_batch(agent, officer, (2, 3, 4, 5, 6))
    client.get(BATCHES)  # warm the caches a first request fills (permissions)

    with CaptureQueriesContext(connection) as one:
        assert len(client.get(batch_url(small.number)).json()["items"]) == 1
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(batch_url(large.number)).json()["items"]) == 5

    assert len(five) == len(one) <= 5


def test_unknown_batch_is_404(print_desk, api_client_for):
    client = api_client_for(print_desk)

    for path in (batch_url(9), batch_url(9, "export.csv"), batch_url(9, "export.xlsx")):
        assert client.get(path).status_code == 404, path


# --- the files ------------------------------------------------------------------------


def expected_rows(tickets):
    """The file rows of single-ticket items, as the print desk should read them."""
    with translation.override("vi"):
        rows = []
        for ticket in tickets:
            item = item_of(ticket)
            app = CardApplication.objects.get(pk=item.application_id)
            rows.append(
                [app.application_number, app.cccd_number, app.full_name,
                 app.date_of_birth.isoformat(), app.receiving_unit,
                 str(Reason(item.reason).label), ticket.reference]
            )  # fmt: skip
    return rows


def two_batches(agent, officer):
    """Batch 1 with one card, batch 2 with two: exports of batch 2 must hold only its own."""
    built_batch(agent, officer, (1,))
    return built_batch(agent, officer, (2, 3))


def test_csv_export_holds_exactly_the_batch_items(agent, officer, print_desk, api_client_for):
    batch, tickets = two_batches(agent, officer)

    response = api_client_for(print_desk).get(batch_url(batch.number, "export.csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(CSV_TYPE)
    assert response["Content-Disposition"] == (
        f'attachment; filename="reprint-batch-{batch.number}.csv"'
    )
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(header) == 7
    assert rows == expected_rows(tickets)


def test_xlsx_export_holds_exactly_the_batch_items(agent, officer, supervisor, api_client_for):
    batch, tickets = two_batches(agent, officer)

    response = api_client_for(supervisor).get(batch_url(batch.number, "export.xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == (
        f'attachment; filename="reprint-batch-{batch.number}.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(header) == 7
    assert rows == expected_rows(tickets)


def test_exports_list_every_ticket_of_a_shared_item(
    agent, officer, other_officer, print_desk, api_client_for
):
    ticket, item = awaiting_reprint(agent, officer)
    second = linked_ticket(agent, other_officer, item.application, phone="+84987654321")
    services.reprint_request(ticket=second, actor=other_officer, reason=Reason.SLOW_PRINTING)
    batch = services.batch_build()

    response = api_client_for(print_desk).get(batch_url(batch.number, "export.csv"))

    [row] = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    assert sorted(row[6].split()) == sorted([ticket.reference, second.reference])


# --- build now ------------------------------------------------------------------------


def test_run_builds_a_batch_of_the_pending_requests_and_answers_202(
    agent, officer, supervisor, api_client_for, eager_tasks
):
    first, _ = awaiting_reprint(agent, officer, 1)
    second, _ = awaiting_reprint(agent, officer, 2)

    response = api_client_for(supervisor).post(RUN)

    assert response.status_code == 202, response.content
    assert isinstance(response.json()["task_id"], str) and response.json()["task_id"]
    batch = ReprintBatch.objects.get()
    assert set(batch.items.values_list("tickets__reference", flat=True)) == {
        first.reference,
        second.reference,
    }
    assert not ReprintItem.objects.filter(batch__isnull=True).exists()


def test_run_with_nothing_pending_answers_202_and_builds_no_batch(
    supervisor, api_client_for, eager_tasks
):
    response = api_client_for(supervisor).post(RUN)

    assert response.status_code == 202
    assert response.json()["task_id"]
    assert not ReprintBatch.objects.exists()


# --- mark an item ---------------------------------------------------------------------


def test_marking_printed_resolves_every_ticket_and_texts_each_caller(
    agent, officer, other_officer, print_desk, api_client_for
):
    ticket, item = awaiting_reprint(agent, officer)
    second = linked_ticket(agent, other_officer, item.application, phone="+84987654321")
    services.reprint_request(ticket=second, actor=other_officer, reason=Reason.SLOW_PRINTING)
    batch = services.batch_build()

    response = api_client_for(print_desk).post(
        mark_url(item.pk), {"outcome": "printed"}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["outcome"]) == (item.pk, "printed")
    assert body["marked_at"]
    for each in (ticket, second):
        each = reload(each)
        assert (each.status, each.resolution_code) == (Status.RESOLVED, ResolutionCode.REPRINTED)
    texts = SmsMessage.objects.values_list("phone", "ticket_reference")
    assert sorted(texts) == sorted(
        [(str(ticket.caller_phone), ticket.reference), ("+84987654321", second.reference)]
    )
    app = CardApplication.objects.get(pk=item.application_id)
    assert app.reprinted_on == timezone.localdate()
    batch.refresh_from_db()
    assert batch.status == ReprintBatch.Status.DONE


def test_batch_stays_unfinished_while_an_item_is_pending(
    agent, officer, print_desk, api_client_for
):
    batch, (first, _second) = built_batch(agent, officer, (1, 2))

    api_client_for(print_desk).post(mark_url(item_of(first).pk), {"outcome": "printed"})

    batch.refresh_from_db()
    assert batch.status != ReprintBatch.Status.DONE
    assert batch.done_at is None


@pytest.mark.parametrize("note", [None, "", "   "])
def test_marking_failed_without_a_note_is_400_naming_note(
    agent, officer, print_desk, api_client_for, note
):
    _batch, (ticket,) = built_batch(agent, officer)
    payload = {"outcome": "failed"} | ({} if note is None else {"note": note})

    response = api_client_for(print_desk).post(mark_url(item_of(ticket).pk), payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["note"]
    assert item_of(ticket).outcome == ReprintItem.Outcome.PENDING
    assert reload(ticket).status == Status.AWAITING_REPRINT


def test_marking_failed_with_a_note_gives_the_tickets_back_to_their_officer(
    agent, officer, print_desk, api_client_for
):
    _batch, (ticket,) = built_batch(agent, officer)
    item = item_of(ticket)

    response = api_client_for(print_desk).post(
        mark_url(item.pk), {"outcome": "failed", "note": "Phôi thẻ bị lỗi"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["outcome"], response.json()["note"]) == ("failed", "Phôi thẻ bị lỗi")
    ticket = reload(ticket)
    assert (ticket.status, ticket.assignee) == (Status.ASSIGNED, officer)
    assert any("Phôi thẻ bị lỗi" in note.text for note in ticket.notes.all())
    assert not SmsMessage.objects.exists()
    item.refresh_from_db()
    assert (item.outcome, item.active) == (ReprintItem.Outcome.FAILED, False)


def test_card_that_failed_can_be_requested_again(agent, officer, print_desk, api_client_for):
    _batch, (ticket,) = built_batch(agent, officer)
    first = item_of(ticket)
    api_client_for(print_desk).post(
        mark_url(first.pk), {"outcome": "failed", "note": "Máy in hỏng"}, format="json"
    )

    response = api_client_for(officer).post(
        request_url(ticket.reference), {"reason": "slow_printing"}, format="json"
    )

    assert response.status_code == 200, response.content
    again = ReprintItem.objects.get(active=True)
    assert again.pk != first.pk
    assert (again.application_id, again.batch) == (first.application_id, None)


@pytest.mark.parametrize("second", ["printed", "failed"])
def test_marking_an_item_twice_is_409(agent, officer, print_desk, api_client_for, second):
    _batch, (ticket,) = built_batch(agent, officer)
    item = item_of(ticket)
    client = api_client_for(print_desk)
    assert client.post(mark_url(item.pk), {"outcome": "printed"}).status_code == 200

    response = client.post(mark_url(item.pk), {"outcome": second, "note": "lại"}, format="json")

    assert response.status_code == 409
    assert response.json()["detail"]
    item.refresh_from_db()
    assert item.outcome == ReprintItem.Outcome.PRINTED
    assert SmsMessage.objects.count() == 1


def test_marking_a_request_not_yet_in_a_batch_is_409(agent, officer, print_desk, api_client_for):
    ticket, item = awaiting_reprint(agent, officer)

    response = api_client_for(print_desk).post(
        mark_url(item.pk), {"outcome": "printed"}, format="json"
    )

    assert response.status_code == 409
    assert reload(ticket).status == Status.AWAITING_REPRINT


def test_marking_an_unknown_item_is_404(print_desk, api_client_for):
    response = api_client_for(print_desk).post(
        mark_url(999999), {"outcome": "printed"}, format="json"
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "outcome"),
        ({"outcome": "lost"}, "outcome"),
        ({"outcome": "pending"}, "outcome"),
        ({"outcome": ""}, "outcome"),
        ({"outcome": 1}, "outcome"),
        ({"outcome": None}, "outcome"),
        ({"outcome": ["printed"]}, "outcome"),
        ({"outcome": {"printed": True}}, "outcome"),
        ({"outcome": "failed", "note": 5}, "note"),
        ({"outcome": "failed", "note": ["lỗi"]}, "note"),
        ({"outcome": "failed", "note": None}, "note"),
        ({"outcome": "printed", "note": True}, "note"),
        ({"outcome": "failed", "note": "x" * 10_001}, "note"),
    ],
)
def test_bad_mark_input_is_400_naming_the_field(
    agent, officer, print_desk, api_client_for, payload, field
):
    _batch, (ticket,) = built_batch(agent, officer)

    response = api_client_for(print_desk).post(mark_url(item_of(ticket).pk), payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert item_of(ticket).outcome == ReprintItem.Outcome.PENDING
    assert reload(ticket).status == Status.AWAITING_REPRINT


@pytest.mark.parametrize("body", ['["printed"]', '"printed"', "42", "null", "{not json"])
def test_mark_body_that_is_not_a_json_object_is_400(
    agent, officer, print_desk, api_client_for, body
):
    _batch, (ticket,) = built_batch(agent, officer)

    response = api_client_for(print_desk).post(
        mark_url(item_of(ticket).pk), body, content_type="application/json"
    )

    assert response.status_code == 400, response.content
    assert item_of(ticket).outcome == ReprintItem.Outcome.PENDING
