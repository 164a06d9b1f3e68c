"""Retention (SPEC §9): personal data of tickets resolved more than RETENTION_MONTHS ago
is erased — name, date of birth, ID numbers, phone, contact, place of application and
every free text (summary, notes, resolution note, history details) — with the calls,
callbacks and citizens' own look-ups of that age. Category, channel, status, times and
counts stay, so the statistics (and the stored daily summary) do not change. Record
look-ups older than ACCESS_LOG_YEARS leave the access log.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from callbacks.models import Callback
from citizens.models import RecordAccess
from tickets.models import Call, Status, Ticket, TicketEvent, TicketNote

TICKET_ERASED = {
    "caller_phone": "",
    "contact": "",
    "caller_name": "",
    "date_of_birth": None,
    "cccd_number": "",
    "old_id_number": "",
    "place_of_application": "",
    "application_date": None,
    "summary": "",
    "resolution_note": "",
}
# A ticket that still holds any of these has not been erased yet.
STILL_HELD = (
    Q(caller_phone__gt="")
    | Q(contact__gt="")
    | Q(caller_name__gt="")
    | Q(date_of_birth__isnull=False)
    | Q(cccd_number__gt="")
    | Q(old_id_number__gt="")
    | Q(place_of_application__gt="")
    | Q(summary__gt="")
    | Q(resolution_note__gt="")
)


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, 28)  # every month has a 28th
    return moment.replace(year=year, month=month + 1, day=day)


def cutoffs(now=None) -> tuple[datetime.datetime, datetime.datetime]:
    """(personal data older than this goes, access-log rows older than this go)."""
    now = now or timezone.now()
    return (
        months_before(now, settings.RETENTION_MONTHS),
        months_before(now, settings.ACCESS_LOG_YEARS * 12),
    )


def expired_tickets(before):
    return Ticket.objects.filter(status=Status.RESOLVED, resolved_at__lt=before).filter(STILL_HELD)


def _self_service_lookups(before):
    fields = {f.name for f in RecordAccess._meta.get_fields()}
    if "channel" not in fields:
        return RecordAccess.objects.none()
    return RecordAccess.objects.filter(channel="self_service", at__lt=before).exclude(query={})


def querysets(now=None) -> dict:
    """What an erasure at `now` touches, by kind (unevaluated)."""
    before, log_before = cutoffs(now)
    tickets = expired_tickets(before)
    ids = tickets.values("pk")
    return {
        "tickets": tickets,
        "notes": TicketNote.objects.filter(ticket__in=ids).exclude(text=""),
        "events": TicketEvent.objects.filter(ticket__in=ids).exclude(changes={}),
        "calls": Call.objects.filter(
            Q(ticket__in=ids) | Q(ticket__isnull=True, started_at__lt=before)
        ).exclude(caller_phone=""),
        "callbacks": Callback.objects.exclude(status=Callback.Status.PENDING)
        .filter(Q(ticket__in=ids) | Q(closed_at__lt=before) | Q(last_missed_at__lt=before))
        .exclude(phone=""),
        "self_service_lookups": _self_service_lookups(before),
        "access_log": RecordAccess.objects.filter(at__lt=log_before),
    }


def counts(now=None) -> dict:
    return {kind: qs.count() for kind, qs in querysets(now).items()}
