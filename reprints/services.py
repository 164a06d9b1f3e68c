"""Reprint requests, batches and the print desk's outcomes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from callcenter import batching
from callcenter.errors import Conflict
from citizens.models import ApplicationStatus
from citizens.services import application_record_reprint
from tickets import lifecycle
from tickets import services as ticket_services
from tickets.models import Status as TicketStatus

from .models import Reason, ReprintBatch, ReprintItem, SmsMessage

# The reason a reprint may give, by the application's status (SPEC §3).
REASON_FITS = {
    Reason.SLOW_APPROVAL: {ApplicationStatus.RECEIVED},
    Reason.SLOW_PRINTING: {ApplicationStatus.APPROVED, ApplicationStatus.PRINTING},
    Reason.CARD_DEFECT: {
        ApplicationStatus.PRINTED,
        ApplicationStatus.DISPATCHED,
        ApplicationStatus.DELIVERED,
    },
}
# Serializes batch builds on PostgreSQL (an arbitrary constant key).
BUILD_LOCK = 7_300_368


def _check_reason(application, reason: str) -> None:
    if application.status == ApplicationStatus.REJECTED:
        raise ValidationError(
            {"reason": [_("Reason: the application was rejected; the citizen must re-apply.")]}
        )
    if application.status not in REASON_FITS[reason]:
        raise ValidationError(
            {
                "reason": [
                    _("Reason: “%(reason)s” does not fit an application that is %(status)s.")
                    % {
                        "reason": Reason(reason).label,
                        "status": ApplicationStatus(application.status).label,
                    }
                ]
            }
        )


@transaction.atomic
def reprint_request(*, actor, ticket, reason: str) -> ReprintItem:
    """Put the ticket's linked card on the reprint list. Tickets about the same card
    share one item."""
    lifecycle.check(ticket, "request_reprint", actor)
    application = ticket.linked_application
    _check_reason(application, reason)
    ticket = ticket_services.ticket_await_reprint(actor=actor, ticket=ticket, reason=reason)
    item = _active_item(application, reason)
    item.tickets.add(ticket)
    return item


def _active_item(application, reason) -> ReprintItem:
    item = ReprintItem.objects.select_for_update().filter(application=application, active=True)
    found = item.first()
    if found:
        return found
    try:
        with transaction.atomic():
            return ReprintItem.objects.create(application=application, reason=reason)
    except IntegrityError:
        # Another officer asked for the same card at the same moment: share theirs.
        return ReprintItem.objects.select_for_update().get(application=application, active=True)


@transaction.atomic
def batch_build() -> ReprintBatch | None:
    """Put every pending request into a new numbered batch; None if nothing is pending
    (callcenter.batching: serialized builds, nothing duplicated or lost)."""
    pending = ReprintItem.objects.filter(batch__isnull=True, active=True)
    built = batching.build(pending=pending, batch_model=ReprintBatch, lock_key=BUILD_LOCK)
    return built[0] if built else None


@transaction.atomic
def batch_mark_sent(*, batch: ReprintBatch) -> ReprintBatch:
    updated = ReprintBatch.objects.filter(pk=batch.pk, status=ReprintBatch.Status.OPEN).update(
        status=ReprintBatch.Status.SENT, sent_at=timezone.now()
    )
    if updated:
        batch.refresh_from_db()
    return batch


@transaction.atomic
def item_mark(*, actor, item: ReprintItem, outcome: str, note: str = "") -> ReprintItem:
    """The print desk's word on one card: printed (tickets resolved, a text to each
    caller in the SMS outbox, which the caller then queues: tasks.send_sms_outbox) or
    failed (tickets back to their officers with the note)."""
    if outcome == ReprintItem.Outcome.FAILED and not note.strip():
        raise ValidationError({"note": [_("Note: say why printing failed.")]})
    item = ReprintItem.objects.get(pk=item.pk)
    if item.batch_id is None:
        raise Conflict(_("This reprint is not in a batch yet."))
    # Marks within one batch take turns: the last one sees every other mark and can
    # close the batch.
    ReprintBatch.objects.select_for_update().get(pk=item.batch_id)
    item = ReprintItem.objects.select_for_update().get(pk=item.pk)
    if item.outcome != ReprintItem.Outcome.PENDING:
        raise Conflict(
            _("This reprint was already marked %(outcome)s.")
            % {"outcome": ReprintItem.Outcome(item.outcome).label}
        )
    item.outcome, item.note = outcome, note
    item.active, item.marked_at, item.marked_by = False, timezone.now(), actor
    item.save(update_fields=["outcome", "note", "active", "marked_at", "marked_by"])
    if outcome == ReprintItem.Outcome.PRINTED:
        _printed(item, actor)
    else:
        _failed(item, actor, note)
    _close_batch_if_done(item.batch)
    return item


def _printed(item: ReprintItem, actor) -> None:
    application_record_reprint(application=item.application, day=timezone.localdate())
    for ticket in item.tickets.filter(status=TicketStatus.AWAITING_REPRINT):
        ticket_services.ticket_reprint_printed(
            actor=actor, ticket=ticket, batch_number=item.batch.number
        )
        with translation.override(settings.LANGUAGE_CODE):  # callers get Vietnamese
            text = _(
                "Hotline 1900 0368: the CCCD card of request %(reference)s has been "
                "reprinted and will be sent to where it was applied for."
            ) % {"reference": ticket.reference}
        SmsMessage.objects.create(
            phone=str(ticket.caller_phone), ticket_reference=ticket.reference, text=text
        )


def _failed(item: ReprintItem, actor, note: str) -> None:
    for ticket in item.tickets.filter(status=TicketStatus.AWAITING_REPRINT):
        ticket_services.ticket_reprint_failed(actor=actor, ticket=ticket, note=note)


def _close_batch_if_done(batch: ReprintBatch) -> None:
    if not batch.items.filter(outcome=ReprintItem.Outcome.PENDING).exists():
        ReprintBatch.objects.filter(pk=batch.pk).update(
            status=ReprintBatch.Status.DONE, done_at=timezone.now()
        )


@transaction.atomic
def batch_mark_printed(*, actor, batch: ReprintBatch) -> int:
    """Every card still pending in the batch was printed. Returns how many; cards
    someone else marked meanwhile are left as they are."""
    ReprintBatch.objects.select_for_update().get(pk=batch.pk)
    count = 0
    for item in batch.items.filter(outcome=ReprintItem.Outcome.PENDING):
        item_mark(actor=actor, item=item, outcome=ReprintItem.Outcome.PRINTED)
        count += 1
    return count


def sms_send_pending(*, backend, limit: int = 200) -> int:
    """Hand pending messages to the SMS backend. A failure stays in the outbox with
    its error and is tried again by the next run. Each message is locked while the
    backend takes it and marked sent in the same transaction: a worker killed during
    the call leaves it pending, and it is sent again under the same key, which the
    gateway uses to deliver it once (callcenter.sms)."""
    sent = 0
    for message in SmsMessage.objects.filter(status=SmsMessage.Status.PENDING)[:limit]:
        with transaction.atomic():
            message = (
                SmsMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=message.pk, status=SmsMessage.Status.PENDING)
                .first()
            )
            if message is None:
                continue
            message.attempts += 1
            try:
                backend.send(message.phone, message.text, key=f"sms-{message.pk}")
            except Exception as exc:  # any backend failure: keep the message
                message.last_error = str(exc)[:1000]
                message.save(update_fields=["attempts", "last_error"])
                continue
            message.status, message.sent_at = SmsMessage.Status.SENT, timezone.now()
            message.save(update_fields=["attempts", "status", "sent_at"])
            sent += 1
    return sent
