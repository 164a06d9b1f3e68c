"""Every change to calls and tickets goes through these functions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from callcenter.calendar import business_seconds_between
from callcenter.errors import Conflict
from citizens.models import CardApplication

from . import hooks, lifecycle, sla
from .models import (
    Call,
    Channel,
    ReferenceCounter,
    ResolutionCode,
    Status,
    Ticket,
    TicketEvent,
    TicketNote,
)
from .work import check_resolution_fits


class CallAlreadyLogged(Conflict):
    """The PBX call named for a new ticket has a ticket already."""


def _allocate_reference(now: datetime.datetime) -> str:
    """The next readable reference of the month, e.g. `2611-00042`.

    One UPDATE … RETURNING, a transaction of its own (autocommit): the counter row is
    locked for that statement only, so agents do not queue behind each other's ticket
    inserts. A creation that fails afterwards leaves a gap in the numbers, never a
    duplicate. The month's first ticket creates the row.
    """
    period = timezone.localtime(now).strftime("%y%m")
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    sql = f"UPDATE {table} SET last = last + 1 WHERE period = %s RETURNING last"
    with connection.cursor() as cursor:
        cursor.execute(sql, [period])
        row = cursor.fetchone()
        if row is None:
            try:
                with transaction.atomic():
                    ReferenceCounter.objects.create(period=period, last=1)
                row = (1,)
            except IntegrityError:
                cursor.execute(sql, [period])
                row = cursor.fetchone()
    return f"{period}-{row[0]:05d}"


def _record(ticket, *, actor, action, from_status="", changes=None) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=ticket.status,
        changes=changes or {},
    )


def _transition(ticket, action: str, *, actor, changes=None, fields=None) -> Ticket:
    """Take a life-cycle action: lock the ticket, check that `actor` may take it now,
    set the new state and `fields` (a callable given the locked ticket, or a dict), and
    write its history row."""
    ticket = _lock(ticket)
    target = lifecycle.check(ticket, action, actor)
    previous, before = ticket.status, ticket.step_times()
    values = fields(ticket) if callable(fields) else fields or {}
    ticket.status = target
    for name, value in values.items():
        setattr(ticket, name, value)
    ticket.save(update_fields=["status", "updated_at", *values])
    _record(ticket, actor=actor, action=action, from_status=previous, changes=changes)
    hooks.ticket_changed(ticket=ticket, before=before)
    return ticket


def _sla_clocks(ticket: Ticket, at: datetime.datetime) -> dict:
    """Escalation starts both SLA clocks, with the category's targets of the moment."""
    claim_due_at, resolve_due_at = sla.deadlines(ticket.category, at)
    return {
        "escalated_at": at,
        "claim_due_at": claim_due_at,
        "resolve_due_at": resolve_due_at,
        "claim_business_seconds": None,
        "resolve_business_seconds": None,
    }


def _resolve_clock(ticket: Ticket, at: datetime.datetime) -> dict:
    if ticket.escalated_at is None:
        return {}
    return {"resolve_business_seconds": business_seconds_between(ticket.escalated_at, at)}


def _lock(ticket: Ticket) -> Ticket:
    """Re-read the ticket under a row lock so concurrent actions see its latest state.

    No joins: after waiting for the lock PostgreSQL re-reads the locked row but not the
    joined ones, which could then describe an older state. Related rows are loaded
    afterwards, when needed.
    """
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def ticket_create(
    *,
    actor,
    caller_phone,
    category: str,
    summary: str,
    channel: str = Channel.PHONE,
    identity: dict | None = None,
    call_started_at: datetime.datetime | None = None,
    call_ended_at: datetime.datetime | None = None,
    resolve_now: bool = False,
    resolution_note: str = "",
    escalate_now: bool = False,
    contact: str = "",
    pbx_call: Call | None = None,
) -> Ticket:
    """Log a contact as a new ticket, optionally answered at first contact or
    escalated to the officers at once.

    `identity` holds the validated caller fields (caller_name, date_of_birth,
    cccd_number, old_id_number, place_of_application, application_date). A phone
    contact also records the call itself, unless the PBX reported it (`pbx_call`, a
    call to this agent not logged yet): then the ticket takes that call. Other channels
    carry the channel's `contact` and a phone number only if the citizen gave one. The
    reference is allocated before the ticket's own transaction (see
    `_allocate_reference`).
    """
    now = timezone.now()
    reference = _allocate_reference(now)
    with transaction.atomic():
        ticket = Ticket.objects.create(
            reference=reference,
            channel=channel,
            caller_phone=caller_phone or "",
            contact=contact,
            category=category,
            summary=summary,
            created_by=actor,
            created_at=now,
            **(identity or {}),
            **(_answered_at_first_contact(resolution_note, now) if resolve_now else {}),
        )
        events = [TicketEvent(ticket=ticket, actor=actor, action="create", to_status=Status.OPEN)]
        if resolve_now:
            events.append(
                TicketEvent(
                    ticket=ticket,
                    actor=actor,
                    action="resolve",
                    from_status=Status.OPEN,
                    to_status=Status.RESOLVED,
                    changes={"resolution_code": ResolutionCode.ANSWERED},
                )
            )
        TicketEvent.objects.bulk_create(events)
        linked = pbx_call is not None and Call.objects.filter(
            pk=pbx_call.pk, agent=actor, ticket__isnull=True
        ).update(ticket=ticket)
        if pbx_call is not None and not linked:
            # Logged meanwhile (a second submit, another request): not twice.
            raise CallAlreadyLogged(
                _("This call was already logged as a ticket; it was not logged again.")
            )
        if channel == Channel.PHONE and not linked:
            call = Call.objects.create(
                ticket=ticket,
                caller_phone=caller_phone,
                agent=actor,
                started_at=call_started_at or call_ended_at or now,
                answered_at=call_started_at or call_ended_at or now,
                ended_at=call_ended_at,
            )
            # A call that began on an earlier day counts on that day.
            hooks.days_touched(days={timezone.localdate(call.started_at)})
        if escalate_now and not resolve_now:
            ticket = ticket_escalate(actor=actor, ticket=ticket)
    return ticket


def _answered_at_first_contact(resolution_note: str, now: datetime.datetime) -> dict:
    # The life cycle's open → resolved, taken at creation by the agent logging it.
    return {
        "status": lifecycle.ACTIONS["resolve"].target,
        "resolution_code": ResolutionCode.ANSWERED,
        "resolution_note": resolution_note,
        "resolved_at": now,
    }


@transaction.atomic
def ticket_escalate(*, actor, ticket: Ticket, note: str = "") -> Ticket:
    """Hand an open ticket to the officers' queue."""
    ticket = _transition(
        ticket, "escalate", actor=actor, fields=lambda t: _sla_clocks(t, timezone.now())
    )
    if note:
        note_add(actor=actor, ticket=ticket, text=note)
    return ticket


@transaction.atomic
def ticket_resolve(
    *, actor, ticket: Ticket, resolution_code: str, resolution_note: str = ""
) -> Ticket:
    """Close a ticket with a resolution code: an agent's own open ticket or an
    officer's held one."""

    def fields(ticket):
        check_resolution_fits(ticket, resolution_code)
        now = timezone.now()
        return {
            "resolution_code": resolution_code,
            "resolution_note": resolution_note,
            "resolved_at": now,
            **_resolve_clock(ticket, now),
        }

    return _transition(
        ticket,
        "resolve",
        actor=actor,
        changes={"resolution_code": resolution_code},
        fields=fields,
    )


@transaction.atomic
def ticket_reopen(*, actor, ticket: Ticket, note: str = "") -> Ticket:
    """A resolved case is back (the citizen calls again): it returns to the queue."""
    ticket = _lock(ticket)
    changes = {
        "previous_resolution_code": ticket.resolution_code,
        "previous_resolution_note": ticket.resolution_note,
    }
    ticket = _transition(
        ticket,
        "reopen",
        actor=actor,
        changes=changes,
        fields=lambda t: {
            **_sla_clocks(t, timezone.now()),
            "assignee": None,
            "assigned_at": None,
            "resolution_code": "",
            "resolution_note": "",
            "resolved_at": None,
        },
    )
    if note:
        note_add(actor=actor, ticket=ticket, text=note)
    return ticket


@transaction.atomic
def note_add(*, actor, ticket: Ticket, text: str) -> TicketNote:
    """Add an internal note; the history records that a note was written."""
    ticket = _lock(ticket)
    lifecycle.check(ticket, "note", actor)
    return _note(ticket, actor, text)


def _note(ticket: Ticket, actor, text: str) -> TicketNote:
    note = TicketNote.objects.create(ticket=ticket, author=actor, text=text)
    ticket.save(update_fields=["updated_at"])
    _record(ticket, actor=actor, action="note", from_status=ticket.status)
    return note


@transaction.atomic
def ticket_claim(*, actor, ticket: Ticket) -> Ticket:
    """Take an escalated ticket from the queue. Of two officers claiming at once, the
    row lock lets one win; the other is told who holds it."""

    def fields(ticket):
        now = timezone.now()
        return {
            "assignee": actor,
            "assigned_at": now,
            "claim_business_seconds": business_seconds_between(ticket.escalated_at, now),
        }

    return _transition(ticket, "claim", actor=actor, fields=fields)


@transaction.atomic
def ticket_release(*, actor, ticket: Ticket, note: str = "") -> Ticket:
    """Give a claimed ticket back to the queue."""
    ticket = _transition(
        ticket, "release", actor=actor, fields={"assignee": None, "assigned_at": None}
    )
    if note:
        note_add(actor=actor, ticket=ticket, text=note)
    return ticket


@transaction.atomic
def ticket_link_application(*, actor, ticket: Ticket, application_number: str) -> Ticket:
    """Record which card application the ticket is about (the holder, while working it)."""
    ticket = _lock(ticket)
    lifecycle.check(ticket, "link", actor)
    number = application_number.strip()
    application = CardApplication.objects.filter(application_number=number).first()
    if application is None:
        raise ValidationError(
            {
                "application_number": [
                    _("Application number: no application %(number)s.") % {"number": number}
                ]
            }
        )
    previous = ticket.linked_application.application_number if ticket.linked_application else ""
    ticket.linked_application = application
    ticket.save(update_fields=["linked_application", "updated_at"])
    _record(
        ticket,
        actor=actor,
        action="link",
        from_status=ticket.status,
        changes={"application": application.application_number, "previous": previous},
    )
    return ticket


@transaction.atomic
def ticket_await_reprint(*, actor, ticket: Ticket, reason: str) -> Ticket:
    """The holder has put the linked card on the reprint list: the ticket waits for
    the print desk."""
    return _transition(ticket, "request_reprint", actor=actor, changes={"reason": reason})


@transaction.atomic
def ticket_reprint_printed(*, actor, ticket: Ticket, batch_number: int) -> Ticket:
    """The card was reprinted: the ticket is resolved."""

    def fields(ticket):
        now = timezone.now()
        return {
            "resolution_code": ResolutionCode.REPRINTED,
            "resolution_note": _("Card reprinted in batch %(number)d.") % {"number": batch_number},
            "resolved_at": now,
            **_resolve_clock(ticket, now),
        }

    return _transition(
        ticket, "reprint_printed", actor=actor, changes={"batch": batch_number}, fields=fields
    )


@transaction.atomic
def ticket_reprint_failed(*, actor, ticket: Ticket, note: str) -> Ticket:
    """Printing failed: the ticket goes back to its officer with the print desk's note."""
    ticket = _transition(ticket, "reprint_failed", actor=actor)
    # The print desk's word comes with the action, whoever may write notes otherwise.
    _note(ticket, actor, _("Printing failed: %(note)s") % {"note": note or "—"})
    return ticket
