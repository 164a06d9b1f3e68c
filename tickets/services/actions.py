"""The life-cycle actions on a ticket: each locks it, asks tickets.lifecycle whether
the actor may, changes it and writes its history row."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from callcenter.calendar import business_seconds_between
from citizens.models import CardApplication
from knowledge.selectors import published_answer

from .. import hooks, lifecycle, sla
from ..models import (
    ResolutionCode,
    Ticket,
    TicketEvent,
    TicketNote,
)
from ..work import check_resolution_fits


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
    *, actor, ticket: Ticket, resolution_code: str, resolution_note: str = "", answer: str = ""
) -> Ticket:
    """Close a ticket with a resolution code: an agent's own open ticket or an
    officer's held one; `answer`, the slug of the published answer given, if any."""
    linked_answer = published_answer(answer) if answer else None

    def fields(ticket):
        check_resolution_fits(ticket, resolution_code)
        now = timezone.now()
        return {
            "resolution_code": resolution_code,
            "resolution_note": resolution_note,
            "resolved_at": now,
            **_resolve_clock(ticket, now),
            **({"answer": linked_answer} if linked_answer else {}),
        }

    changes = {"resolution_code": resolution_code}
    if linked_answer:
        changes["answer"] = linked_answer.slug
    return _transition(ticket, "resolve", actor=actor, changes=changes, fields=fields)


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
            "answer": None,
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


@transaction.atomic
def ticket_await_correction(*, actor, ticket: Ticket, field: str) -> Ticket:
    """The holder has asked the local police to correct the linked record: the ticket
    waits for their answer."""
    return _transition(ticket, "request_correction", actor=actor, changes={"field": field})


@transaction.atomic
def ticket_correction_made(*, actor, ticket: Ticket, list_number: int) -> Ticket:
    """The record was corrected: the ticket is resolved."""

    def fields(ticket):
        now = timezone.now()
        return {
            "resolution_code": ResolutionCode.CORRECTED,
            "resolution_note": _("Record corrected (correction list %(number)d).")
            % {"number": list_number},
            "resolved_at": now,
            **_resolve_clock(ticket, now),
        }

    return _transition(
        ticket, "correction_made", actor=actor, changes={"list": list_number}, fields=fields
    )


@transaction.atomic
def ticket_correction_refused(*, actor, ticket: Ticket, note: str) -> Ticket:
    """The local police refused the correction: back to the officer with their word."""
    ticket = _transition(ticket, "correction_refused", actor=actor)
    _note(ticket, actor, _("Correction refused: %(note)s") % {"note": note or "—"})
    return ticket
