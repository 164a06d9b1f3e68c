"""Correction requests, the correction lists for the local police, and their answers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from callcenter import batching
from callcenter.errors import Conflict
from citizens.services import application_correct, application_field_text
from citizens.validators import record_value_errors
from reprints.models import SmsMessage
from tickets import lifecycle
from tickets import services as ticket_services
from tickets.models import Status as TicketStatus

from .models import CorrectionList, CorrectionRequest, Field

# Serializes list builds on PostgreSQL (an arbitrary constant key, not the reprints').
BUILD_LOCK = 7_300_369
UNFINISHED = (CorrectionRequest.Status.OPEN, CorrectionRequest.Status.SENT)


def check_value(field: str, correct_value: str) -> str:
    """The correct value normalised by the field's own rule, or a ValidationError."""
    data = {"correct_value": correct_value}
    errors = record_value_errors(data, field=field, key="correct_value")
    if errors:
        raise ValidationError(errors)
    return data["correct_value"]


@transaction.atomic
def correction_request(
    *, actor, ticket, field: str, correct_value: str, evidence: str
) -> CorrectionRequest:
    """Record an error in the ticket's linked application; the ticket waits for the
    local police's answer. Tickets asking for the same change share one request."""
    lifecycle.check(ticket, "request_correction", actor)
    if field not in Field.values:
        raise ValidationError({"field": [_("Field: not a field a correction may change.")]})
    value = check_value(field, correct_value)
    if not evidence.strip():
        raise ValidationError({"evidence": [_("Evidence: say what shows the correct value.")]})
    application = ticket.linked_application
    recorded = application_field_text(application, field)
    if value == recorded:
        raise ValidationError(
            {"correct_value": [_("Correct value: this is what the record already says.")]}
        )
    ticket = ticket_services.ticket_await_correction(actor=actor, ticket=ticket, field=field)
    request = _unfinished(application, field, value, recorded, evidence, actor)
    request.tickets.add(ticket)
    return request


def _unfinished(application, field, value, recorded, evidence, actor) -> CorrectionRequest:
    existing = _existing(application, field)
    if existing is None:
        try:
            with transaction.atomic():
                return CorrectionRequest.objects.create(
                    application=application, field=field, recorded_value=recorded,
                    correct_value=value, evidence=evidence, requested_by=actor,
                )  # fmt: skip
        except IntegrityError:  # another officer filed it at the same moment
            existing = _existing(application, field)
    if existing.correct_value != value:
        raise Conflict(
            _("Request %(id)d already asks to change this field to “%(value)s”.")
            % {"id": existing.pk, "value": existing.correct_value}
        )
    return existing


def _existing(application, field) -> CorrectionRequest | None:
    return (
        CorrectionRequest.objects.select_for_update()
        .filter(application=application, field=field, status__in=UNFINISHED)
        .first()
    )


@transaction.atomic
def correction_lists_build() -> list[CorrectionList]:
    """Every open request onto a new numbered list of its receiving unit, and sent.
    Two builds at once neither duplicate nor lose a request (callcenter.batching)."""
    pending = CorrectionRequest.objects.filter(
        status=CorrectionRequest.Status.OPEN, correction_list__isnull=True
    )
    return batching.build(
        pending=pending,
        batch_model=CorrectionList,
        lock_key=BUILD_LOCK,
        batch_field="correction_list",
        group_by="application__receiving_unit",
        group_field="receiving_unit",
        set_fields={"status": CorrectionRequest.Status.SENT},
    )


@transaction.atomic
def correction_answer(*, actor, request: CorrectionRequest, outcome: str, note: str = ""):
    """The local police's word on a sent request: corrected (the record changes, the
    tickets are resolved and each caller gets a text, which the caller of this
    function queues: reprints.tasks.send_sms_outbox) or refused (the tickets go back
    to their officers with the reason)."""
    if outcome == CorrectionRequest.Status.REFUSED and not note.strip():
        raise ValidationError({"note": [_("Note: say why the correction was refused.")]})
    request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != CorrectionRequest.Status.SENT:
        raise Conflict(
            _("Request %(id)d is %(status)s: only a sent request can be answered.")
            % {"id": request.pk, "status": CorrectionRequest.Status(request.status).label}
        )
    request.status, request.answer_note = outcome, note
    request.answered_at, request.answered_by = timezone.now(), actor
    request.save(update_fields=["status", "answer_note", "answered_at", "answered_by"])
    if outcome == CorrectionRequest.Status.CORRECTED:
        _corrected(request, actor)
    else:
        _refused(request, actor, note)
    _close_list_if_done(request.correction_list)
    return request


def _corrected(request: CorrectionRequest, actor) -> None:
    application_correct(
        application=request.application, field=request.field, value=request.correct_value
    )
    number = request.correction_list.number
    for ticket in request.tickets.filter(status=TicketStatus.AWAITING_CORRECTION):
        others = ticket.correction_requests.filter(status__in=UNFINISHED)
        if not others.exists():
            ticket_services.ticket_correction_made(actor=actor, ticket=ticket, list_number=number)
        if ticket.caller_phone:
            with translation.override(settings.LANGUAGE_CODE):  # callers get Vietnamese
                text = _(
                    "Hotline 1900 0368: the record of request %(reference)s has been "
                    "corrected (%(field)s)."
                ) % {"reference": ticket.reference, "field": Field(request.field).label}
            SmsMessage.objects.create(
                phone=str(ticket.caller_phone), ticket_reference=ticket.reference, text=text
            )


def _refused(request: CorrectionRequest, actor, note: str) -> None:
    for ticket in request.tickets.filter(status=TicketStatus.AWAITING_CORRECTION):
        ticket_services.ticket_correction_refused(actor=actor, ticket=ticket, note=note)


def _close_list_if_done(correction_list: CorrectionList) -> None:
    if not correction_list.requests.filter(status__in=UNFINISHED).exists():
        CorrectionList.objects.filter(pk=correction_list.pk).update(done_at=timezone.now())
