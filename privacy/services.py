"""Every change the privacy app makes: the retention erasure, data-subject requests
(each logged as a SubjectRequest) and the access-review digest."""

from django.db import transaction
from django.utils import timezone

from callbacks.models import Callback
from citizens.models import RecordAccess
from tickets.models import Call, Ticket, TicketEvent, TicketNote

from . import holdings, retention, review
from .models import AccessDigest, ErasureRun, SubjectRequest


@transaction.atomic
def retention_erase(*, now=None, dry_run: bool = False) -> dict:
    """Erase what has outlived its retention (see privacy.retention); the counts of
    rows erased, or with `dry_run` of rows that would be."""
    now = now or timezone.now()
    found = retention.querysets(now)
    counts = {kind: qs.count() for kind, qs in found.items()}
    if dry_run:
        return counts
    ticket_ids = list(found["tickets"].values_list("pk", flat=True))
    found["notes"].update(text="")
    found["events"].update(changes={})
    found["calls"].update(caller_phone="")
    found["callbacks"].update(phone="")
    found["self_service_lookups"].update(query={})
    found["access_log"].delete()
    Ticket.objects.filter(pk__in=ticket_ids).update(**retention.TICKET_ERASED)
    ErasureRun.objects.create(resolved_before=retention.cutoffs(now)[0], counts=counts)
    return counts


def _log(*, actor, kind, subject, reason="", details=None) -> SubjectRequest:
    return SubjectRequest.objects.create(
        actor=actor,
        kind=kind,
        phone=subject.phone,
        id_number=subject.id_number,
        reason=reason,
        details=details or {},
    )


@transaction.atomic
def subject_search(*, actor, subject: holdings.Subject, export: str = "") -> dict:
    """Everything held about the subject, the request logged (as an export when the
    result leaves as a file)."""
    held = holdings.find(subject)
    kind = SubjectRequest.Kind.EXPORT if export else SubjectRequest.Kind.SEARCH
    details = {name: len(rows) for name, rows in held.items()}
    if export:
        details["format"] = export
    _log(actor=actor, kind=kind, subject=subject, details=details)
    return held


@transaction.atomic
def subject_correct(*, actor, subject, reference: str, field: str, value, reason: str):
    """Correct one personal field of one of the subject's tickets, with the reason;
    the ticket's history records it too (without the values)."""
    ticket = holdings.tickets_of(subject).select_for_update().get(reference=reference)
    setattr(ticket, field, value)
    ticket.save(update_fields=[field, "updated_at"])
    TicketEvent.objects.create(
        ticket=ticket, actor=actor, action="personal_data_corrected", changes={"field": field}
    )
    details = {"ticket": reference, "field": field}
    _log(actor=actor, kind=SubjectRequest.Kind.CORRECTION, subject=subject, reason=reason,
         details=details)  # fmt: skip
    return ticket


@transaction.atomic
def subject_erase(*, actor, subject, reason: str) -> dict:
    """Erase the subject's personal data from their tickets, calls and callbacks, and
    what they typed into self-service look-ups; figures stay, as with retention."""
    tickets = holdings.tickets_of(subject)
    ids = list(tickets.values_list("pk", flat=True))
    references = list(tickets.values_list("reference", flat=True))
    calls = holdings.calls_of(subject)
    callbacks = holdings.callbacks_of(subject)
    lookups = holdings.self_service_of(subject)
    counts = {
        "tickets": len(ids),
        "calls": calls.count(),
        "callbacks": callbacks.count(),
        "self_service_lookups": lookups.count(),
    }
    TicketNote.objects.filter(ticket__in=ids).update(text="")
    TicketEvent.objects.filter(ticket__in=ids).update(changes={})
    Call.objects.filter(pk__in=calls.values("pk")).update(caller_phone="")
    # A pending callback would ring the subject again: it is given up first.
    callbacks.filter(status=Callback.Status.PENDING).update(
        status=Callback.Status.GIVEN_UP, closed_at=timezone.now(), holder=None
    )
    Callback.objects.filter(pk__in=callbacks.values("pk")).update(phone="")
    RecordAccess.objects.filter(pk__in=lookups.values("pk")).update(query={})
    Ticket.objects.filter(pk__in=ids).update(**retention.TICKET_ERASED)
    _log(actor=actor, kind=SubjectRequest.Kind.ERASURE, subject=subject, reason=reason,
         details={**counts, "tickets_erased": references})  # fmt: skip
    return counts


@transaction.atomic
def access_digest_build(*, day) -> AccessDigest:
    """The day's look-ups that need a second look, stored for the review page."""
    findings = review.findings(day, day)
    digest, _ = AccessDigest.objects.update_or_create(day=day, defaults={"findings": findings})
    return digest
