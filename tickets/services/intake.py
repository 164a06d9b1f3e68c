"""A contact arrives: a new ticket, or a call added to the caller's open case."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from callcenter.errors import Conflict
from knowledge.selectors import published_answer

from .. import hooks, lifecycle
from ..models import (
    Call,
    Channel,
    Priority,
    ReferenceCounter,
    ResolutionCode,
    Status,
    Ticket,
    TicketEvent,
)
from .actions import _lock, _note, _record, ticket_escalate, ticket_reopen


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
    answer: str = "",
) -> Ticket:
    """Log a contact as a new ticket, optionally answered at first contact (with
    `answer`, the slug of the published answer read out) or escalated to the officers
    at once.

    `identity` holds the validated caller fields (caller_name, date_of_birth,
    cccd_number, old_id_number, place_of_application, application_date). A phone
    contact also records the call itself, unless the PBX reported it (`pbx_call`, a
    call to this agent not logged yet): then the ticket takes that call. Other channels
    carry the channel's `contact` and a phone number only if the citizen gave one. The
    reference is allocated before the ticket's own transaction (see
    `_allocate_reference`).
    """
    if answer and not resolve_now:
        raise ValidationError({"answer": [_("Answer: only when resolving at first contact.")]})
    linked_answer = published_answer(answer) if answer else None
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
            answer=linked_answer,
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
                    changes=_resolution_changes(ResolutionCode.ANSWERED, linked_answer),
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
        if ticket.caller_phone:
            hooks.caller_reached(phone=str(ticket.caller_phone), actor=actor, ticket=ticket)
        hooks.contact_logged(actor=actor, ticket=ticket)
    return ticket


def _resolution_changes(code: str, answer) -> dict:
    return {"resolution_code": code, **({"answer": answer.slug} if answer else {})}


def _answered_at_first_contact(resolution_note: str, now: datetime.datetime) -> dict:
    # The life cycle's open → resolved, taken at creation by the agent logging it.
    return {
        "status": lifecycle.ACTIONS["resolve"].target,
        "resolution_code": ResolutionCode.ANSWERED,
        "resolution_note": resolution_note,
        "resolved_at": now,
    }


# From this many contacts on, the case goes to the front of the officers' queue.
HIGH_PRIORITY_CONTACTS = 3


class TooOldToReopen(Conflict):
    """A follow-up call on a case resolved too long ago."""


@transaction.atomic
def ticket_add_call(
    *,
    actor,
    ticket: Ticket,
    call_started_at: datetime.datetime | None = None,
    call_ended_at: datetime.datetime | None = None,
    pbx_call: Call | None = None,
    note: str = "",
    reopen: bool = False,
) -> Ticket:
    """The caller rang again about this case: the call joins the ticket (the PBX's call
    when there is one), the contact count rises, and from the third contact on the
    ticket has high priority. A case resolved within REOPEN_WITHIN is reopened when
    `reopen` says the caller wants it; otherwise refused."""
    ticket = _lock(ticket)
    if ticket.status == Status.RESOLVED and reopen:
        _check_reopenable(ticket)
        ticket = ticket_reopen(actor=actor, ticket=ticket)
    lifecycle.check(ticket, "add_call", actor)
    call = _follow_up_call(actor, ticket, pbx_call, call_started_at, call_ended_at)
    ticket.contact_count += 1
    fields = ["contact_count", "updated_at"]
    if ticket.contact_count >= HIGH_PRIORITY_CONTACTS and ticket.priority != Priority.HIGH:
        ticket.priority = Priority.HIGH
        fields.append("priority")
    ticket.save(update_fields=fields)
    changes = {"contact_count": ticket.contact_count, "call": call.pk}
    _record(ticket, actor=actor, action="add_call", from_status=ticket.status, changes=changes)
    if note:
        _note(ticket, actor, note)
    hooks.days_touched(days={timezone.localdate(call.started_at)})
    if call.caller_phone:
        hooks.caller_reached(phone=str(call.caller_phone), actor=actor, ticket=ticket)
    hooks.contact_logged(actor=actor, ticket=ticket)
    return ticket


def _check_reopenable(ticket: Ticket) -> None:
    if ticket.resolved_at < timezone.now() - lifecycle.REOPEN_WITHIN:
        raise TooOldToReopen(
            _(
                "Ticket %(reference)s was resolved more than 14 days ago: log the call as "
                "a new ticket."
            )
            % {"reference": ticket.reference}
        )


def _follow_up_call(actor, ticket, pbx_call, started, ended) -> Call:
    now = timezone.now()
    if pbx_call is not None:
        linked = Call.objects.filter(pk=pbx_call.pk, ticket__isnull=True).update(
            ticket=ticket, follow_up=True
        )
        if not linked:
            raise CallAlreadyLogged(
                _("This call already belongs to a ticket; it was not added again.")
            )
        pbx_call.refresh_from_db()
        return pbx_call
    return Call.objects.create(
        ticket=ticket,
        caller_phone=ticket.caller_phone,
        agent=actor,
        started_at=started or ended or now,
        answered_at=started or ended or now,
        ended_at=ended,
        follow_up=True,
    )
