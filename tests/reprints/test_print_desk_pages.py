"""The print desk's pages (SPEC §4; issue 4): batches with their files, marking cards
printed or failed, the supervisors' build-now button and schedule, and the officer's
reprint request on the ticket page."""

import csv
import io
import re

import openpyxl
import pytest

from citizens.models import ApplicationStatus
from reprints import services
from reprints.models import Reason, ReprintBatch, ReprintItem, ReprintPolicy, SmsMessage
from tests.citizens.factories import application as card_application
from tests.factories import escalated_ticket
from tests.reprints.test_reprint_api import (
    XLSX_TYPE,
    awaiting_reprint,
    built_batch,
    celery_eager,
    item_of,
    linked_ticket,
)
from tests.tickets.test_claim import held_by, reload
from tickets.models import ResolutionCode, Status

BATCHES = "/reprints/"
S = ReprintItem.Outcome
PRINTING = ApplicationStatus.PRINTING


@pytest.fixture
def eager_tasks():
    with celery_eager():
        yield


def content_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def messages_of(response):
    return re.findall(r'<li class="msg msg-(\w+)">(.*?)</li>', response.content.decode(), re.S)


def levels_of(response):
    return [level for level, _ in messages_of(response)]


def table_rows(content, table_id):
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', content, re.S)
    assert table, f"no table #{table_id}"
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(1), re.S).group(1)
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def cells(row):
    found = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in found]


def mark_forms(content):
    return re.findall(r'<form method="post" action="/reprints/items/(\d+)/mark/"', content)


def batch_url(number, suffix=""):
    return f"{BATCHES}{number}/{suffix}"


# --- the batch list -------------------------------------------------------------------


def test_batch_list_shows_each_batch_with_its_card_count_and_file_links(
    agent, officer, print_desk, client_for
):
    built_batch(agent, officer, (1, 2))
    built_batch(agent, officer, (3,))
    awaiting_reprint(agent, officer, 4)

    content = content_of(client_for(print_desk).get(BATCHES))

    rows = table_rows(content, "batches")
    assert [(c[0], c[2]) for c in map(cells, rows)] == [("#2", "1"), ("#1", "2")]
    for number, row in zip((2, 1), rows, strict=True):
        assert f'href="/reprints/{number}/"' in row
        assert f'href="/reprints/{number}/export.csv"' in row
        assert f'href="/reprints/{number}/export.xlsx"' in row


def test_batch_list_query_count_does_not_grow_with_batches(
    agent, officer, print_desk, client_for, django_assert_max_num_queries
):
    for index in range(1, 7):
        built_batch(agent, officer, (index, index + 10))
    client = client_for(print_desk)
    client.get(BATCHES)

    with django_assert_max_num_queries(6):
        content = content_of(client.get(BATCHES))

    assert len(table_rows(content, "batches")) == 6


def test_supervisor_sees_build_now_and_the_schedule_form(supervisor, client_for):
    content = content_of(client_for(supervisor).get(BATCHES))

    assert 'id="run-batch"' in content
    assert 'action="/reprints/run/"' in content
    assert 'action="/reprints/schedule/"' in content
    assert re.search(r'<select name="interval_days"', content)


def test_print_desk_sees_neither_build_now_nor_the_schedule(print_desk, client_for):
    content = content_of(client_for(print_desk).get(BATCHES))

    assert 'id="run-batch"' not in content
    assert "/reprints/run/" not in content
    assert "/reprints/schedule/" not in content


def test_print_desk_lands_on_the_batch_list(print_desk, client_for):
    response = client_for(print_desk).get("/")

    assert response.status_code == 302
    assert response["Location"] == BATCHES


# --- build now and the schedule -------------------------------------------------------


def test_build_now_batches_the_pending_requests_and_says_so(
    agent, officer, supervisor, client_for, eager_tasks
):
    first, _ = awaiting_reprint(agent, officer, 1)
    second, _ = awaiting_reprint(agent, officer, 2)

    response = client_for(supervisor).post("/reprints/run/", follow=True)

    assert response.redirect_chain == [(BATCHES, 302)]
    batch = ReprintBatch.objects.get()
    assert {item_of(first).batch, item_of(second).batch} == {batch}
    [(level, text)] = messages_of(response)
    assert level == "success"
    assert str(batch.number) in text
    assert [c[0] for c in map(cells, table_rows(content_of(response), "batches"))] == ["#1"]


def test_build_now_with_nothing_pending_says_so_and_builds_nothing(
    supervisor, client_for, eager_tasks
):
    response = client_for(supervisor).post("/reprints/run/", follow=True)

    assert response.redirect_chain == [(BATCHES, 302)]
    assert levels_of(response) == ["info"]
    assert not ReprintBatch.objects.exists()


@pytest.mark.parametrize("days", [2, 3])
def test_schedule_form_saves_two_or_three_days(supervisor, client_for, days):
    ReprintPolicy.objects.update_or_create(pk=1, defaults={"interval_days": 5 - days})

    response = client_for(supervisor).post(
        "/reprints/schedule/", {"interval_days": days}, follow=True
    )

    assert response.redirect_chain == [(BATCHES, 302)]
    assert levels_of(response) == ["success"]
    assert ReprintPolicy.current().interval_days == days
    assert re.search(rf'<option value="{days}" selected>', content_of(response))


@pytest.mark.parametrize("days", ["5", "1", "0", "", "abc", "2.5"])
def test_schedule_form_refuses_other_intervals(supervisor, client_for, days):
    ReprintPolicy.objects.update_or_create(pk=1, defaults={"interval_days": 2})

    response = client_for(supervisor).post(
        "/reprints/schedule/", {"interval_days": days}, follow=True
    )

    assert levels_of(response) == ["error"]
    assert ReprintPolicy.current().interval_days == 2


# --- one batch ------------------------------------------------------------------------


def test_batch_page_lists_the_items_with_a_mark_form_for_each(
    agent, officer, print_desk, client_for
):
    batch, tickets = built_batch(agent, officer, (1, 2))

    content = content_of(client_for(print_desk).get(batch_url(batch.number)))

    rows = table_rows(content, "items")
    assert [cells(row)[:3] for row in rows] == [
        ["HS2203000001", "001090012301", "Nguyễn Văn An"],
        ["HS2203000002", "001090012302", "Nguyễn Văn An"],
    ]
    for row, ticket in zip(rows, tickets, strict=True):
        assert ticket.reference in row
    assert mark_forms(content) == [str(item_of(t).pk) for t in tickets]
    assert 'id="mark-batch-printed"' in content
    assert f'href="/reprints/{batch.number}/export.csv"' in content
    assert f'href="/reprints/{batch.number}/export.xlsx"' in content


def test_supervisor_sees_the_batch_without_mark_forms(agent, officer, supervisor, client_for):
    batch, _ = built_batch(agent, officer, (1,))

    content = content_of(client_for(supervisor).get(batch_url(batch.number)))

    assert len(table_rows(content, "items")) == 1
    assert mark_forms(content) == []
    assert 'id="mark-batch-printed"' not in content


def test_batch_page_query_count_does_not_grow_with_items(
    agent, officer, print_desk, client_for, django_assert_max_num_queries
):
    batch, _ = built_batch(agent, officer, range(1, 9))
    client = client_for(print_desk)
    client.get(batch_url(batch.number))

    # One of them the access log's row naming the page's records.
    with django_assert_max_num_queries(8):
        content = content_of(client.get(batch_url(batch.number)))

    assert len(table_rows(content, "items")) == 8


def test_unknown_batch_page_is_404(print_desk, client_for):
    assert client_for(print_desk).get(batch_url(99)).status_code == 404


def test_marking_printed_from_the_page_resolves_the_ticket(agent, officer, print_desk, client_for):
    batch, (ticket,) = built_batch(agent, officer)
    item = item_of(ticket)

    response = client_for(print_desk).post(
        f"/reprints/items/{item.pk}/mark/", {"outcome": "printed", "note": ""}, follow=True
    )

    assert response.redirect_chain == [(batch_url(batch.number), 302)]
    assert item_of(ticket).outcome == S.PRINTED
    ticket = reload(ticket)
    assert (ticket.status, ticket.resolution_code) == (Status.RESOLVED, ResolutionCode.REPRINTED)
    assert SmsMessage.objects.get().ticket_reference == ticket.reference
    assert mark_forms(content_of(response)) == []


def test_marking_failed_from_the_page_gives_the_ticket_back_with_the_note(
    agent, officer, print_desk, client_for
):
    batch, (ticket,) = built_batch(agent, officer)
    item = item_of(ticket)

    response = client_for(print_desk).post(
        f"/reprints/items/{item.pk}/mark/", {"outcome": "failed", "note": "Chip hỏng"}, follow=True
    )

    assert response.redirect_chain == [(batch_url(batch.number), 302)]
    item.refresh_from_db()
    assert (item.outcome, item.note) == (S.FAILED, "Chip hỏng")
    ticket = reload(ticket)
    assert (ticket.status, ticket.assignee) == (Status.ASSIGNED, officer)
    assert any("Chip hỏng" in note.text for note in ticket.notes.all())
    assert "Chip hỏng" in content_of(response)


def test_marking_failed_from_the_page_without_a_note_is_refused_with_a_message(
    agent, officer, print_desk, client_for
):
    batch, (ticket,) = built_batch(agent, officer)

    response = client_for(print_desk).post(
        f"/reprints/items/{item_of(ticket).pk}/mark/",
        {"outcome": "failed", "note": " "},
        follow=True,
    )

    assert response.redirect_chain == [(batch_url(batch.number), 302)]
    assert levels_of(response) == ["error"]
    assert item_of(ticket).outcome == S.PENDING
    assert reload(ticket).status == Status.AWAITING_REPRINT


def test_marking_twice_from_the_page_is_refused_with_a_message(
    agent, officer, print_desk, client_for
):
    batch, (ticket,) = built_batch(agent, officer)
    path = f"/reprints/items/{item_of(ticket).pk}/mark/"
    client = client_for(print_desk)
    client.post(path, {"outcome": "printed"})

    response = client.post(path, {"outcome": "failed", "note": "lại"}, follow=True)

    assert levels_of(response) == ["error"]
    assert item_of(ticket).outcome == S.PRINTED
    assert reload(ticket).status == Status.RESOLVED


def test_mark_every_remaining_card_printed_leaves_failed_cards_alone(
    agent, officer, print_desk, client_for
):
    batch, (failed, first, second) = built_batch(agent, officer, (1, 2, 3))
    client = client_for(print_desk)
    client.post(f"/reprints/items/{item_of(failed).pk}/mark/", {"outcome": "failed", "note": "x"})

    response = client.post(batch_url(batch.number, "printed/"), follow=True)

    assert response.redirect_chain == [(batch_url(batch.number), 302)]
    [(level, text)] = messages_of(response)
    assert (level, "2" in text) == ("success", True)
    assert [item_of(t).outcome for t in (failed, first, second)] == [S.FAILED, S.PRINTED, S.PRINTED]
    assert [reload(t).status for t in (failed, first, second)] == [
        Status.ASSIGNED,
        Status.RESOLVED,
        Status.RESOLVED,
    ]
    batch.refresh_from_db()
    assert batch.status == ReprintBatch.Status.DONE
    content = content_of(response)
    assert 'id="mark-batch-printed"' not in content
    assert mark_forms(content) == []


def test_csv_download_from_the_page_holds_the_batch_items(agent, officer, print_desk, client_for):
    batch, tickets = built_batch(agent, officer, (1, 2))

    response = client_for(print_desk).get(batch_url(batch.number, "export.csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="reprint-batch-1.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    assert [(row[0], row[6]) for row in rows] == [
        ("HS2203000001", tickets[0].reference),
        ("HS2203000002", tickets[1].reference),
    ]


def test_xlsx_download_from_the_page_holds_the_batch_items(agent, officer, supervisor, client_for):
    batch, tickets = built_batch(agent, officer, (1, 2))

    response = client_for(supervisor).get(batch_url(batch.number, "export.xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert 'filename="reprint-batch-1.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))[1:]
    assert [(row[0], row[2], row[6]) for row in rows] == [
        ("HS2203000001", "Nguyễn Văn An", tickets[0].reference),
        ("HS2203000002", "Nguyễn Văn An", tickets[1].reference),
    ]


# --- the request on the ticket page ---------------------------------------------------


def reprint_form(content, reference):
    match = re.search(
        rf'<form method="post" action="/tickets/{reference}/request-reprint/".*?</form>',
        content,
        re.S,
    )
    return match and match.group(0)


def test_holder_of_a_linked_ticket_sees_the_reprint_form_with_every_reason(
    agent, officer, client_for
):
    ticket = linked_ticket(agent, officer, card_application(status=PRINTING))

    form = reprint_form(
        content_of(client_for(officer).get(ticket.get_absolute_url())), ticket.reference
    )

    assert form
    assert re.findall(r'<option value="(\w+)"', form) == Reason.values


@pytest.mark.parametrize("arrange", ["unlinked", "other holder", "awaiting"])
def test_reprint_form_is_offered_only_to_the_holder_of_a_linked_assigned_ticket(
    agent, officer, other_officer, client_for, arrange
):
    if arrange == "unlinked":
        ticket = held_by(officer, escalated_ticket(agent))
    elif arrange == "other holder":
        ticket = linked_ticket(agent, other_officer, card_application(status=PRINTING))
    else:
        ticket, _ = awaiting_reprint(agent, officer)

    content = content_of(client_for(officer).get(ticket.get_absolute_url()))

    assert reprint_form(content, ticket.reference) is None


def test_requesting_a_reprint_from_the_ticket_page_moves_it_to_awaiting_reprint(
    agent, officer, client_for
):
    app = card_application(status=PRINTING)
    ticket = linked_ticket(agent, officer, app)

    response = client_for(officer).post(
        f"/tickets/{ticket.reference}/request-reprint/", {"reason": "slow_printing"}, follow=True
    )

    assert response.redirect_chain == [(ticket.get_absolute_url(), 302)]
    assert levels_of(response) == ["success"]
    assert reload(ticket).status == Status.AWAITING_REPRINT
    item = ReprintItem.objects.get(application=app)
    assert (item.reason, list(item.tickets.all())) == (Reason.SLOW_PRINTING, [reload(ticket)])
    assert 'id="ticket-status"' in content_of(response)
    assert reprint_form(content_of(response), ticket.reference) is None


@pytest.mark.parametrize(
    ("status", "reason"),
    [("printing", "card_defect"), ("delivered", "slow_approval"), ("rejected", "slow_printing")],
)
def test_reason_that_does_not_fit_shows_a_message_and_changes_nothing(
    agent, officer, client_for, status, reason
):
    ticket = linked_ticket(agent, officer, card_application(status=status))

    response = client_for(officer).post(
        f"/tickets/{ticket.reference}/request-reprint/", {"reason": reason}, follow=True
    )

    assert response.redirect_chain == [(ticket.get_absolute_url(), 302)]
    assert levels_of(response) == ["error"]
    assert reload(ticket).status == Status.ASSIGNED
    assert not ReprintItem.objects.exists()


@pytest.mark.parametrize("payload", [{}, {"reason": ""}, {"reason": "lost"}])
def test_missing_or_unknown_reason_on_the_page_shows_a_message_and_changes_nothing(
    agent, officer, client_for, payload
):
    ticket = linked_ticket(agent, officer, card_application(status=PRINTING))

    response = client_for(officer).post(
        f"/tickets/{ticket.reference}/request-reprint/", payload, follow=True
    )

    assert response.redirect_chain == [(ticket.get_absolute_url(), 302)]
    assert levels_of(response) == ["error"]
    assert reload(ticket).status == Status.ASSIGNED
    assert not ReprintItem.objects.exists()


def test_reprint_request_without_a_linked_application_shows_a_message(agent, officer, client_for):
    ticket = held_by(officer, escalated_ticket(agent))

    response = client_for(officer).post(
        f"/tickets/{ticket.reference}/request-reprint/", {"reason": "slow_printing"}, follow=True
    )

    assert levels_of(response) == ["error"]
    assert reload(ticket).status == Status.ASSIGNED


def test_reprint_request_by_a_non_holder_is_refused_and_changes_nothing(
    agent, officer, other_officer, client_for
):
    ticket = linked_ticket(agent, officer, card_application(status=PRINTING))

    response = client_for(other_officer).post(
        f"/tickets/{ticket.reference}/request-reprint/", {"reason": "slow_printing"}, follow=True
    )

    assert levels_of(response) == ["error"]
    assert (reload(ticket).status, reload(ticket).assignee) == (Status.ASSIGNED, officer)
    assert not ReprintItem.objects.exists()


def test_request_then_batch_then_print_closes_the_ticket(agent, officer, print_desk, client_for):
    """The page path end to end: officer's request, a batch, the print desk's mark."""
    ticket = linked_ticket(agent, officer, card_application(status=PRINTING))
    client_for(officer).post(
        f"/tickets/{ticket.reference}/request-reprint/", {"reason": "slow_printing"}
    )
    batch = services.batch_build()

    client_for(print_desk).post(batch_url(batch.number, "printed/"))

    assert reload(ticket).status == Status.RESOLVED
    assert reload(ticket).linked_application.reprinted_on is not None
