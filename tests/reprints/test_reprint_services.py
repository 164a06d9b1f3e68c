"""Reprint services (SPEC §3; issue 4): which reason fits which application, shared
items, the one-unfinished-item constraint, the print desk's outcomes, the CSV and XLSX
files and the SMS outbox. Direct service calls; no worker."""

import csv
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from callcenter.errors import Conflict
from citizens.models import REPRINTED, ApplicationStatus
from reprints import exports, services
from reprints.models import Reason, ReprintBatch, ReprintItem, SmsMessage
from tests.citizens.factories import application as card_application
from tests.factories import escalated_ticket
from tests.tickets.test_claim import held_by, race, reload
from tickets import services as ticket_services
from tickets.lifecycle import NotTicketHolder
from tickets.models import ResolutionCode, Status, Ticket, TicketNote

S = ApplicationStatus
FITS = {
    Reason.SLOW_APPROVAL: {S.RECEIVED},
    Reason.SLOW_PRINTING: {S.APPROVED, S.PRINTING},
    Reason.CARD_DEFECT: {S.PRINTED, S.DISPATCHED, S.DELIVERED},
}
UNIT = "Công an quận Ba Đình"
HEADER = [
    "Application number", "CCCD number", "Full name", "Date of birth", "Receiving unit",
    "Reason", "Ticket references",
]  # fmt: skip


def linked_ticket(agent, officer, application, phone="0912345678"):
    """An escalated ticket, claimed by the officer, linked to the application."""
    ticket = held_by(officer, escalated_ticket(agent, phone=phone))
    return ticket_services.ticket_link_application(
        ticket=ticket, actor=officer, application_number=application.application_number
    )


def requested(agent, officer, application, reason=Reason.SLOW_PRINTING, phone="0912345678"):
    ticket = linked_ticket(agent, officer, application, phone)
    services.reprint_request(ticket=ticket, actor=officer, reason=reason)
    return reload(ticket)


def item_of(application) -> ReprintItem:
    return ReprintItem.objects.get(application=application, active=True)


# --- reason and application status ---------------------------------------------------


@pytest.mark.parametrize("status", [s for s in S if s != S.REJECTED])
@pytest.mark.parametrize("reason", list(Reason))
def test_reprint_reason_must_fit_the_application_status(agent, officer, status, reason):
    application = card_application(status=status)
    ticket = linked_ticket(agent, officer, application)

    if status in FITS[reason]:
        item = services.reprint_request(ticket=ticket, actor=officer, reason=reason)
        assert (item.application, item.reason, item.batch) == (application, reason, None)
        assert list(item.tickets.all()) == [ticket]
        assert reload(ticket).status == Status.AWAITING_REPRINT
    else:
        with pytest.raises(ValidationError) as refused:
            services.reprint_request(ticket=ticket, actor=officer, reason=reason)
        assert list(refused.value.message_dict) == ["reason"]
        assert reload(ticket).status == Status.ASSIGNED
        assert not ReprintItem.objects.exists()


@pytest.mark.parametrize("reason", list(Reason))
def test_rejected_application_cannot_be_reprinted_the_citizen_must_reapply(agent, officer, reason):
    ticket = linked_ticket(agent, officer, card_application(status=S.REJECTED))

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.reprint_request(ticket=ticket, actor=officer, reason=reason)

    assert list(refused.value.message_dict) == ["reason"]
    assert "re-apply" in refused.value.message_dict["reason"][0]
    assert reload(ticket).status == Status.ASSIGNED
    assert not ReprintItem.objects.exists()


def test_reprint_request_without_a_linked_application_is_a_conflict(agent, officer):
    ticket = held_by(officer, escalated_ticket(agent))

    with pytest.raises(Conflict) as refused:
        services.reprint_request(ticket=ticket, actor=officer, reason=Reason.SLOW_PRINTING)

    assert ticket.reference in refused.value.message
    assert reload(ticket).status == Status.ASSIGNED
    assert not ReprintItem.objects.exists()


def test_reprint_request_by_an_officer_not_holding_the_ticket_is_refused(
    agent, officer, other_officer
):
    ticket = linked_ticket(agent, officer, card_application(status=S.PRINTING))

    with pytest.raises(NotTicketHolder):
        services.reprint_request(ticket=ticket, actor=other_officer, reason=Reason.SLOW_PRINTING)

    assert reload(ticket).status == Status.ASSIGNED
    assert not ReprintItem.objects.exists()


# --- one item per card ----------------------------------------------------------------


def test_two_tickets_about_one_application_share_one_item(agent, officer, other_officer):
    application = card_application(status=S.PRINTING)
    first = requested(agent, officer, application, phone="0912345678")
    second = requested(agent, other_officer, application, phone="0987654321")

    item = ReprintItem.objects.get()
    assert item.application == application
    assert set(item.tickets.all()) == {first, second}
    assert {first.status, second.status} == {Status.AWAITING_REPRINT}


@pytest.mark.django_db(transaction=True)
def test_two_requests_for_one_application_at_once_create_one_item(agent, officer, other_officer):
    for _ in range(5):
        application = card_application(status=S.PRINTING)
        tickets = [
            linked_ticket(agent, holder, application, phone)
            for holder, phone in ((officer, "0912345678"), (other_officer, "0987654321"))
        ]

        outcomes = race(
            *[
                lambda t=t: services.reprint_request(
                    ticket=Ticket.objects.get(pk=t.pk), actor=t.assignee, reason="slow_printing"
                )
                for t in tickets
            ]
        )

        assert all(isinstance(o, ReprintItem) for o in outcomes), outcomes
        assert outcomes[0].pk == outcomes[1].pk
        item = ReprintItem.objects.get(application=application)
        assert set(item.tickets.all()) == set(tickets)
        assert {reload(t).status for t in tickets} == {Status.AWAITING_REPRINT}


def test_database_refuses_a_second_unfinished_item_for_an_application(agent, officer):
    application = card_application(status=S.PRINTING)
    requested(agent, officer, application)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReprintItem.objects.create(application=application, reason=Reason.SLOW_PRINTING)

    assert ReprintItem.objects.count() == 1


def test_a_finished_item_does_not_block_a_new_request_for_the_card(agent, officer, print_desk):
    application = card_application(status=S.PRINTING)
    requested(agent, officer, application)
    services.batch_build()
    services.item_mark(
        item=item_of(application), actor=print_desk, outcome="failed", note="Chip lỗi"
    )

    again = ReprintItem.objects.create(application=application, reason=Reason.SLOW_PRINTING)

    assert ReprintItem.objects.filter(application=application).count() == 2
    assert again.active and again.batch is None


# --- building -------------------------------------------------------------------------


def test_batch_build_takes_every_pending_item_and_numbers_batches_in_sequence(agent, officer):
    first = card_application(status=S.PRINTING)
    second = card_application(status=S.RECEIVED)
    requested(agent, officer, first)
    requested(agent, officer, second, reason=Reason.SLOW_APPROVAL, phone="0987654321")

    batch = services.batch_build()

    assert (batch.number, batch.status) == (1, ReprintBatch.Status.OPEN)
    assert set(batch.items.values_list("application", flat=True)) == {first.pk, second.pk}
    assert services.batch_build() is None
    third = card_application(status=S.APPROVED)
    requested(agent, officer, third, phone="0911111111")
    assert services.batch_build().number == 2
    assert ReprintBatch.objects.count() == 2


# --- the print desk's outcomes --------------------------------------------------------


def test_printed_resolves_every_ticket_records_the_reprint_and_texts_each_caller(
    agent, officer, other_officer, print_desk
):
    application = card_application(status=S.DELIVERED)
    tickets = [
        requested(agent, officer, application, Reason.CARD_DEFECT, phone="0912345678"),
        requested(agent, other_officer, application, Reason.CARD_DEFECT, phone="0987654321"),
    ]
    batch = services.batch_build()

    services.item_mark(item=item_of(application), actor=print_desk, outcome="printed")

    item = ReprintItem.objects.get()
    assert (item.outcome, item.active, item.marked_by) == ("printed", False, print_desk)
    for ticket in tickets:
        ticket = reload(ticket)
        assert ticket.status == Status.RESOLVED
        assert ticket.resolution_code == ResolutionCode.REPRINTED
        assert str(batch.number) in ticket.resolution_note
    application.refresh_from_db()
    assert (REPRINTED, timezone.localdate()) in application.timeline_steps()
    messages = {m.ticket_reference: m for m in SmsMessage.objects.all()}
    assert set(messages) == {t.reference for t in tickets}
    assert {m.phone for m in messages.values()} == {"+84912345678", "+84987654321"}
    assert all(ref in m.text and m.status == "pending" for ref, m in messages.items())


def test_item_marked_twice_is_refused(agent, officer, print_desk):
    application = card_application(status=S.PRINTING)
    ticket = requested(agent, officer, application)
    services.batch_build()
    item = item_of(application)
    services.item_mark(item=item, actor=print_desk, outcome="printed")

    for outcome in ("printed", "failed"):
        with pytest.raises(Conflict):
            services.item_mark(item=item, actor=print_desk, outcome=outcome, note="again")

    item.refresh_from_db()
    assert (item.outcome, item.note) == ("printed", "")
    assert reload(ticket).status == Status.RESOLVED
    assert SmsMessage.objects.count() == 1


def test_item_not_yet_in_a_batch_cannot_be_marked(agent, officer, print_desk):
    application = card_application(status=S.PRINTING)
    ticket = requested(agent, officer, application)

    with pytest.raises(Conflict):
        services.item_mark(item=item_of(application), actor=print_desk, outcome="printed")

    assert item_of(application).outcome == ReprintItem.Outcome.PENDING
    assert reload(ticket).status == Status.AWAITING_REPRINT


def test_failed_gives_the_tickets_back_to_their_officers_with_the_note(
    agent, officer, other_officer, print_desk
):
    application = card_application(status=S.PRINTING)
    tickets = [
        requested(agent, officer, application, phone="0912345678"),
        requested(agent, other_officer, application, phone="0987654321"),
    ]
    services.batch_build()

    services.item_mark(
        item=item_of(application), actor=print_desk, outcome="failed", note="Phôi thẻ bị lỗi chip"
    )

    item = ReprintItem.objects.get()
    assert (item.outcome, item.active, item.note) == ("failed", False, "Phôi thẻ bị lỗi chip")
    for ticket, holder in zip(tickets, (officer, other_officer), strict=True):
        ticket = reload(ticket)
        assert (ticket.status, ticket.assignee) == (Status.ASSIGNED, holder)
        note = TicketNote.objects.filter(ticket=ticket).get()
        assert "Phôi thẻ bị lỗi chip" in note.text
        assert note.author == print_desk
    assert not SmsMessage.objects.exists()


def test_batch_is_done_only_when_every_item_is_marked(agent, officer, print_desk):
    first = card_application(status=S.PRINTING)
    second = card_application(status=S.PRINTING)
    requested(agent, officer, first)
    requested(agent, officer, second, phone="0987654321")
    batch = services.batch_build()
    services.batch_mark_sent(batch=batch)

    services.item_mark(item=item_of(first), actor=print_desk, outcome="printed")
    batch.refresh_from_db()
    assert (batch.status, batch.done_at) == (ReprintBatch.Status.SENT, None)

    services.item_mark(item=item_of(second), actor=print_desk, outcome="failed", note="Hỏng")
    batch.refresh_from_db()
    assert batch.status == ReprintBatch.Status.DONE
    assert batch.done_at is not None


def test_whole_batch_marked_printed_marks_only_the_pending_items(agent, officer, print_desk):
    first = card_application(status=S.PRINTING)
    second = card_application(status=S.PRINTING)
    requested(agent, officer, first)
    requested(agent, officer, second, phone="0987654321")
    batch = services.batch_build()
    services.item_mark(item=item_of(first), actor=print_desk, outcome="failed", note="Hỏng")

    assert services.batch_mark_printed(batch=batch, actor=print_desk) == 1

    outcomes = dict(ReprintItem.objects.values_list("application", "outcome"))
    assert outcomes == {first.pk: "failed", second.pk: "printed"}
    batch.refresh_from_db()
    assert batch.status == ReprintBatch.Status.DONE


# --- the files ------------------------------------------------------------------------


@pytest.fixture
def exported(agent, officer, other_officer):
    """Batch 2 with two cards (one asked for by two tickets), between a batch 1 and a
    request still pending: the files hold batch 2's cards only."""
    earlier = card_application(status=S.PRINTING)
    requested(agent, officer, earlier, phone="0911111119")
    services.batch_build()
    shared = card_application(
        "Nguyễn Thị Ánh",
        application_number="HS2203000001",
        cccd_number="001190012345",
        status=S.PRINTED,
        receiving_unit=UNIT,
    )
    alone = card_application(
        application_number="HS2203000002",
        cccd_number="001090012346",
        status=S.RECEIVED,
        receiving_unit=UNIT,
    )
    one = requested(agent, officer, shared, Reason.CARD_DEFECT, phone="0912345678")
    two = requested(agent, other_officer, shared, Reason.CARD_DEFECT, phone="0987654321")
    three = requested(agent, officer, alone, Reason.SLOW_APPROVAL, phone="0911111111")
    batch = services.batch_build()
    later = card_application(status=S.APPROVED)
    requested(agent, officer, later, phone="0922222222")
    expected = [
        HEADER,
        ["HS2203000001", "001190012345", "Nguyễn Thị Ánh", "1990-05-17",
         UNIT, "Defective card", f"{one.reference} {two.reference}"],
        ["HS2203000002", "001090012346", "Nguyễn Văn An", "1990-05-17",
         UNIT, "Approval stalled", three.reference],
    ]  # fmt: skip
    return batch, expected


def test_csv_export_has_the_spec_columns_and_exactly_the_batch_items(exported):
    batch, expected = exported

    with translation.override("en"):
        content = exports.as_csv(batch)

    assert content.startswith("\ufeff".encode())  # spreadsheet programs read it as UTF-8
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == expected


def test_xlsx_export_holds_the_same_rows_as_the_csv(exported):
    batch, expected = exported

    with translation.override("en"):
        content = exports.as_xlsx(batch)

    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = [[str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows == expected


# --- the SMS outbox -------------------------------------------------------------------


class BrokenGateway:
    def __init__(self):
        self.keys = []

    def send(self, phone, text, *, key):
        self.keys.append(key)
        raise ConnectionError("gateway unreachable")


class RecordingGateway:
    def __init__(self):
        self.sent = []

    def send(self, phone, text, *, key):
        self.sent.append((phone, text, key))


def test_sms_outbox_keeps_a_message_the_backend_failed_and_sends_it_later(db):
    message = SmsMessage.objects.create(
        phone="+84912345678", text="Thẻ CCCD đã được in lại", ticket_reference="2611-00001"
    )

    broken = BrokenGateway()
    assert services.sms_send_pending(backend=broken) == 0

    message.refresh_from_db()
    assert (message.status, message.attempts) == (SmsMessage.Status.PENDING, 1)
    assert "gateway unreachable" in message.last_error
    assert message.sent_at is None

    gateway = RecordingGateway()
    assert services.sms_send_pending(backend=gateway) == 1

    message.refresh_from_db()
    assert (message.status, message.attempts) == (SmsMessage.Status.SENT, 2)
    assert message.sent_at is not None
    # Sent again under the same key: a gateway that took the first try delivers once.
    assert broken.keys == [f"sms-{message.pk}"]
    assert gateway.sent == [("+84912345678", "Thẻ CCCD đã được in lại", f"sms-{message.pk}")]
    assert services.sms_send_pending(backend=gateway) == 0  # nothing is sent twice
