"""Every change to calls and tickets goes through these functions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from callcenter.calendar import business_seconds_between
from callcenter.errors import Conflict
from citizens.models import ApplicationStatus, CardApplication

from . import sla
from . import summary as daily_summary
from .lifecycle import NotTicketHolder, TransitionNotAllowed, transition
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


def _change_status(ticket, *, actor, action, target, changes=None, **fields) -> Ticket:
    previous, before = ticket.status, daily_summary.ticket_times(ticket)
    ticket.status = target
    for name, value in fields.items():
        setattr(ticket, name, value)
    ticket.save(update_fields=["status", "updated_at", *fields])
    _record(ticket, actor=actor, action=action, from_status=previous, changes=changes)
    daily_summary.mark_stale(ticket, before=before)
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
    agent,
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
            created_by=agent,
            created_at=now,
            **(identity or {}),
            **(_answered_at_first_contact(resolution_note, now) if resolve_now else {}),
        )
        events = [TicketEvent(ticket=ticket, actor=agent, action="create", to_status=Status.OPEN)]
        if resolve_now:
            events.append(
                TicketEvent(
                    ticket=ticket,
                    actor=agent,
                    action="resolve",
                    from_status=Status.OPEN,
                    to_status=Status.RESOLVED,
                    changes={"resolution_code": ResolutionCode.ANSWERED},
                )
            )
        TicketEvent.objects.bulk_create(events)
        linked = pbx_call is not None and Call.objects.filter(
            pk=pbx_call.pk, agent=agent, ticket__isnull=True
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
                agent=agent,
                started_at=call_started_at or call_ended_at or now,
                answered_at=call_started_at or call_ended_at or now,
                ended_at=call_ended_at,
            )
            # A call that began on an earlier day counts on that day.
            daily_summary.mark_days_stale({timezone.localdate(call.started_at)})
        if escalate_now and not resolve_now:
            ticket = ticket_escalate(ticket=ticket, user=agent)
    return ticket


def _answered_at_first_contact(resolution_note: str, now: datetime.datetime) -> dict:
    # The life cycle's open → resolved, taken at creation.
    return {
        "status": transition(Ticket(status=Status.OPEN), "resolve"),
        "resolution_code": ResolutionCode.ANSWERED,
        "resolution_note": resolution_note,
        "resolved_at": now,
    }


@transaction.atomic
def ticket_escalate(*, ticket: Ticket, user, note: str = "") -> Ticket:
    """Hand an open ticket to the officers' queue."""
    ticket = _lock(ticket)
    target = transition(ticket, "escalate")
    _change_status(
        ticket, actor=user, action="escalate", target=target, **_sla_clocks(ticket, timezone.now())
    )
    if note:
        note_add(ticket=ticket, author=user, text=note)
    return ticket


# Resolution codes that state what the records show, and the application statuses
# that support them; None: no application may be linked.
RESOLUTION_FITS = {
    ResolutionCode.CARD_AT_LOCAL_POLICE: {ApplicationStatus.DISPATCHED},
    ResolutionCode.MUST_REAPPLY: {ApplicationStatus.REJECTED},
    ResolutionCode.IN_PROCESSING: {
        ApplicationStatus.RECEIVED,
        ApplicationStatus.APPROVED,
        ApplicationStatus.PRINTING,
        ApplicationStatus.PRINTED,
    },
    ResolutionCode.NOT_FOUND: None,
}


def _check_resolution_fits(ticket: Ticket, code: str) -> None:
    if code not in RESOLUTION_FITS:
        return
    application = ticket.linked_application
    fits = RESOLUTION_FITS[code]
    label = ResolutionCode(code).label
    if fits is None and application is not None:
        message = _("Resolution: “%(code)s” cannot be used with a linked application.")
    elif fits is not None and application is None:
        message = _("Resolution: “%(code)s” needs a linked application.")
    elif fits is not None and application.status not in fits:
        message = _("Resolution: “%(code)s” does not fit an application that is %(status)s.")
    else:
        return
    status = ApplicationStatus(application.status).label if application else ""
    raise ValidationError(
        {"resolution_code": [message % {"code": label, "status": status}]}, code="misfit"
    )


def _check_may_resolve(ticket: Ticket, user) -> None:
    if ticket.status == Status.OPEN and ticket.created_by_id != user.pk:
        raise NotTicketHolder(
            _("Ticket %(reference)s was logged by another agent.") % {"reference": ticket.reference}
        )
    if ticket.status == Status.ASSIGNED and ticket.assignee_id != user.pk:
        raise NotTicketHolder(
            _("Ticket %(reference)s is held by another officer.") % {"reference": ticket.reference}
        )


@transaction.atomic
def ticket_resolve(
    *, ticket: Ticket, user, resolution_code: str, resolution_note: str = ""
) -> Ticket:
    """Close a ticket with a resolution code: an agent's own open ticket or an
    officer's held one."""
    ticket = _lock(ticket)
    target = transition(ticket, "resolve")
    _check_may_resolve(ticket, user)
    _check_resolution_fits(ticket, resolution_code)
    now = timezone.now()
    return _change_status(
        ticket,
        actor=user,
        action="resolve",
        target=target,
        changes={"resolution_code": resolution_code},
        resolution_code=resolution_code,
        resolution_note=resolution_note,
        resolved_at=now,
        **_resolve_clock(ticket, now),
    )


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, user, note: str = "") -> Ticket:
    """A resolved case is back (the citizen calls again): it returns to the queue."""
    ticket = _lock(ticket)
    target = transition(ticket, "reopen")
    _change_status(
        ticket,
        actor=user,
        action="reopen",
        target=target,
        changes={
            "previous_resolution_code": ticket.resolution_code,
            "previous_resolution_note": ticket.resolution_note,
        },
        **_sla_clocks(ticket, timezone.now()),
        assignee=None,
        assigned_at=None,
        resolution_code="",
        resolution_note="",
        resolved_at=None,
    )
    if note:
        note_add(ticket=ticket, author=user, text=note)
    return ticket


@transaction.atomic
def note_add(*, ticket: Ticket, author, text: str) -> TicketNote:
    """Add an internal note; the history records that a note was written."""
    ticket = _lock(ticket)
    note = TicketNote.objects.create(ticket=ticket, author=author, text=text)
    ticket.save(update_fields=["updated_at"])
    _record(ticket, actor=author, action="note", from_status=ticket.status)
    return note


@transaction.atomic
def ticket_claim(*, ticket: Ticket, officer) -> Ticket:
    """Take an escalated ticket from the queue. Of two officers claiming at once, the
    row lock lets one win; the other is told who holds it."""
    ticket = _lock(ticket)
    if ticket.status == Status.ASSIGNED and ticket.assignee_id != officer.pk:
        raise TransitionNotAllowed(
            _("Ticket %(reference)s was already claimed by %(officer)s.")
            % {"reference": ticket.reference, "officer": ticket.assignee.get_username()}
        )
    target = transition(ticket, "claim")
    now = timezone.now()
    return _change_status(
        ticket,
        actor=officer,
        action="claim",
        target=target,
        assignee=officer,
        assigned_at=now,
        claim_business_seconds=business_seconds_between(ticket.escalated_at, now),
    )


def _check_holder(ticket: Ticket, officer) -> None:
    if ticket.status == Status.ASSIGNED and ticket.assignee_id != officer.pk:
        raise NotTicketHolder(
            _("Ticket %(reference)s is held by another officer.") % {"reference": ticket.reference}
        )


@transaction.atomic
def ticket_release(*, ticket: Ticket, officer, note: str = "") -> Ticket:
    """Give a claimed ticket back to the queue."""
    ticket = _lock(ticket)
    target = transition(ticket, "release")
    _check_holder(ticket, officer)
    _change_status(
        ticket, actor=officer, action="release", target=target, assignee=None, assigned_at=None
    )
    if note:
        note_add(ticket=ticket, author=officer, text=note)
    return ticket


@transaction.atomic
def ticket_link_application(*, ticket: Ticket, officer, application: CardApplication) -> Ticket:
    """Record which card application the ticket is about (the holder, while working it)."""
    ticket = _lock(ticket)
    transition(ticket, "link")
    _check_holder(ticket, officer)
    previous = ticket.linked_application.application_number if ticket.linked_application else ""
    ticket.linked_application = application
    ticket.save(update_fields=["linked_application", "updated_at"])
    _record(
        ticket,
        actor=officer,
        action="link",
        from_status=ticket.status,
        changes={"application": application.application_number, "previous": previous},
    )
    return ticket


@transaction.atomic
def ticket_await_reprint(*, ticket: Ticket, officer, reason: str) -> Ticket:
    """The holder has put the linked card on the reprint list: the ticket waits for
    the print desk."""
    ticket = _lock(ticket)
    target = transition(ticket, "request_reprint")
    _check_holder(ticket, officer)
    return _change_status(
        ticket, actor=officer, action="request_reprint", target=target, changes={"reason": reason}
    )


@transaction.atomic
def ticket_reprint_printed(*, ticket: Ticket, actor, batch_number: int) -> Ticket:
    """The card was reprinted: the ticket is resolved."""
    ticket = _lock(ticket)
    target = transition(ticket, "reprint_printed")
    now = timezone.now()
    return _change_status(
        ticket,
        actor=actor,
        action="reprint_printed",
        target=target,
        changes={"batch": batch_number},
        resolution_code=ResolutionCode.REPRINTED,
        resolution_note=_("Card reprinted in batch %(number)d.") % {"number": batch_number},
        resolved_at=now,
        **_resolve_clock(ticket, now),
    )


@transaction.atomic
def ticket_reprint_failed(*, ticket: Ticket, actor, note: str) -> Ticket:
    """Printing failed: the ticket goes back to its officer with the print desk's note."""
    ticket = _lock(ticket)
    target = transition(ticket, "reprint_failed")
    _change_status(ticket, actor=actor, action="reprint_failed", target=target)
    note_add(
        ticket=ticket,
        author=actor,
        text=_("Printing failed: %(note)s") % {"note": note or "—"},
    )
    return ticket
