"""What the hotline holds about one person, found by a phone number or an ID number
(SPEC §9): their tickets (with notes), calls, callbacks, and every look-up of them —
by staff in the records and by the citizen through self-service."""

from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Q

from callbacks.models import Callback
from citizens.models import CardApplication, RecordAccess
from tickets.models import Call, Ticket


@dataclass(frozen=True)
class Subject:
    phone: str = ""  # E.164
    id_number: str = ""  # CCCD (12 digits) or old ID (9 or 12)


def tickets_of(subject: Subject):
    if subject.phone:
        return Ticket.objects.filter(caller_phone=subject.phone)
    return Ticket.objects.filter(
        Q(cccd_number=subject.id_number) | Q(old_id_number=subject.id_number)
    )


def calls_of(subject: Subject):
    ids = tickets_of(subject).values("pk")
    if subject.phone:
        return Call.objects.filter(Q(caller_phone=subject.phone) | Q(ticket__in=ids))
    return Call.objects.filter(ticket__in=ids)


def callbacks_of(subject: Subject):
    if subject.phone:
        return Callback.objects.filter(phone=subject.phone)
    phones = tickets_of(subject).exclude(caller_phone="").values("caller_phone")
    return Callback.objects.filter(Q(phone__in=phones) | Q(ticket__in=tickets_of(subject)))


def _applications(subject: Subject):
    if not subject.id_number:
        return []
    return list(
        CardApplication.objects.filter(
            Q(cccd_number=subject.id_number) | Q(old_id_number=subject.id_number)
        ).values_list("application_number", flat=True)
    )


# A person has a handful of tickets and applications; beyond this many, the oldest
# are left out of the look-up's conditions.
SHOWN_LIMIT = 50


def _shown_in(key: str, values) -> Q:
    """Pages and exports that listed one of these (citizens.services.records_shown).
    PostgreSQL asks whether the stored list contains the value; SQLite (the demo
    database) has no JSON containment, so there the list's JSON text is searched for the
    value in its quotes — references and application numbers need no escaping."""
    alias = router.db_for_read(RecordAccess)
    contains = connections[alias].features.supports_json_field_contains
    matches = Q(pk__in=[])
    for value in list(values)[:SHOWN_LIMIT]:
        if contains:
            matches |= Q(**{f"query__{key}__contains": [value]})
        else:
            matches |= Q(**{f"query__{key}__icontains": f'"{value}"'})
    return matches


def lookups_of(subject: Subject):
    """Staff searches that asked for the number, opened applications of the person,
    self-service look-ups that named it, and pages or exports that showed the person's
    applications or tickets (a reprint batch, a ticket with full identity)."""
    tickets = tickets_of(subject).values_list("reference", flat=True)
    matches = _shown_in("tickets", tickets)
    if subject.phone:
        return RecordAccess.objects.filter(Q(query__phone=subject.phone) | matches)
    number = subject.id_number
    matches |= Q(query__cccd_number=number) | Q(query__old_id_number=number)
    applications = _applications(subject)
    if applications:
        matches |= Q(application_number__in=applications) | _shown_in("applications", applications)
    return RecordAccess.objects.filter(matches)


def self_service_of(subject: Subject):
    fields = {f.name for f in RecordAccess._meta.get_fields()}
    if "channel" not in fields:
        return RecordAccess.objects.none()
    return lookups_of(subject).filter(channel="self_service")


def _day(value):
    return value.isoformat() if value else None


def _ticket_row(ticket) -> dict:
    return {
        "reference": ticket.reference,
        "channel": ticket.channel,
        "caller_phone": str(ticket.caller_phone or ""),
        "contact": ticket.contact,
        "caller_name": ticket.caller_name,
        "date_of_birth": _day(ticket.date_of_birth),
        "cccd_number": ticket.cccd_number,
        "old_id_number": ticket.old_id_number,
        "place_of_application": ticket.place_of_application,
        "application_date": _day(ticket.application_date),
        "category": ticket.category,
        "status": ticket.status,
        "summary": ticket.summary,
        "resolution_code": ticket.resolution_code,
        "resolution_note": ticket.resolution_note,
        "created_at": _day(ticket.created_at),
        "resolved_at": _day(ticket.resolved_at),
        "notes": [
            {"at": _day(note.created_at), "author": note.author.username, "text": note.text}
            for note in ticket.notes.all()
        ],
    }


def _call_row(call) -> dict:
    return {
        "ticket": call.ticket.reference if call.ticket else None,
        "caller_phone": str(call.caller_phone or ""),
        "agent": call.agent.username if call.agent else None,
        "started_at": _day(call.started_at),
        "answered_at": _day(call.answered_at),
        "ended_at": _day(call.ended_at),
    }


def _callback_row(callback) -> dict:
    return {
        "id": callback.pk,
        "phone": str(callback.phone or ""),
        "status": callback.status,
        "missed_calls": callback.missed_calls,
        "first_missed_at": _day(callback.first_missed_at),
        "attempts": callback.attempts,
        "closed_at": _day(callback.closed_at),
    }


def _lookup_row(access) -> dict:
    return {
        "at": _day(access.at),
        "user": access.user.username if access.user_id else None,
        "channel": getattr(access, "channel", "staff"),
        "action": access.action,
        "search_kind": access.search_kind,
        "query": access.query,
        "ticket": access.ticket_reference,
        "purpose": getattr(access, "purpose", ""),
        "application_number": access.application_number,
        "result_count": access.result_count,
    }


def find(subject: Subject) -> dict:
    """Everything held about the subject, as JSON-ready lists."""
    tickets = tickets_of(subject).prefetch_related("notes__author").order_by("created_at")
    calls = calls_of(subject).select_related("ticket", "agent").order_by("started_at")
    callbacks = callbacks_of(subject).order_by("first_missed_at")
    lookups = lookups_of(subject).select_related("user").order_by("at")
    return {
        "tickets": [_ticket_row(t) for t in tickets],
        "calls": [_call_row(c) for c in calls],
        "callbacks": [_callback_row(c) for c in callbacks],
        "lookups": [_lookup_row(a) for a in lookups],
    }
