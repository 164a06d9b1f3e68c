"""Every change to callbacks: a missed call gathered, a callback taken, its outcome."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from callcenter.calendar import add_business_seconds
from callcenter.errors import Conflict, Forbidden
from tickets.models import Ticket

from . import selectors
from .models import Callback, CallbackAttempt

# An unanswered attempt is tried again no sooner than this; the third gives up.
RETRY_AFTER = datetime.timedelta(minutes=30)
MAX_ATTEMPTS = 3
# A reached callback takes the ticket its agent logs for the number within this time.
TICKET_AFTER_REACHED = datetime.timedelta(hours=1)

Status = Callback.Status
Outcome = CallbackAttempt.Outcome


def _next_shift_moment(at: datetime.datetime) -> datetime.datetime:
    """`at` itself in the shift, else the next opening (a missed call at night waits for
    the morning)."""
    return add_business_seconds(at, 0)


@transaction.atomic
def callback_missed(*, call) -> Callback:
    """A call hung up before it was answered: the number's pending callback counts it,
    or a new one is created (one pending callback per number, even for two missed calls
    at the same moment)."""
    at = call.ended_at or call.started_at
    pending = Callback.objects.select_for_update().filter(
        phone=call.caller_phone, status=Status.PENDING
    )
    callback = pending.first()
    if callback is None:
        try:
            with transaction.atomic():
                return Callback.objects.create(
                    phone=call.caller_phone,
                    first_missed_at=at,
                    last_missed_at=at,
                    next_attempt_at=_next_shift_moment(at),
                )
        except IntegrityError:
            callback = pending.get()
    callback.missed_calls += 1
    callback.last_missed_at = max(callback.last_missed_at, at)
    callback.save(update_fields=["missed_calls", "last_missed_at"])
    return callback


@transaction.atomic
def callback_requested(*, phone, application) -> Callback:
    """A citizen whose card is late left their number on the self-service page: the
    number's pending callback takes the application (and the request), or a new one is
    created, with no missed call, due at once in the shift."""
    now = timezone.now()
    pending = Callback.objects.select_for_update().filter(phone=phone, status=Status.PENDING)
    callback = pending.first()
    if callback is None:
        try:
            with transaction.atomic():
                return Callback.objects.create(
                    phone=phone,
                    missed_calls=0,
                    first_missed_at=now,
                    last_missed_at=now,
                    next_attempt_at=_next_shift_moment(now),
                    application=application,
                    requested_at=now,
                )
        except IntegrityError:
            callback = pending.get()
    callback.application = application
    callback.requested_at = callback.requested_at or now
    callback.save(update_fields=["application", "requested_at"])
    return callback


def callback_caller_reached(*, phone: str, actor, ticket) -> Callback | None:
    """The hotline and the caller spoke (their call answered, a ticket logged for the
    number): the pending callback is closed — as reached, with the ticket, when the
    agent holding it logged that ticket; as `caller_reached_us` otherwise. A ticket
    logged just after a callback was reached becomes that callback's ticket. Most
    callers have no callback at all: one query says so."""
    just_reached = Q(
        status=Status.REACHED,
        ticket__isnull=True,
        closed_at__gte=timezone.now() - TICKET_AFTER_REACHED,
    )
    if not Callback.objects.filter(Q(status=Status.PENDING) | just_reached, phone=phone).exists():
        return None
    return _close_for_caller(phone=phone, actor=actor, ticket=ticket)


@transaction.atomic
def _close_for_caller(*, phone: str, actor, ticket) -> Callback | None:
    callback = (
        Callback.objects.select_for_update().filter(phone=phone, status=Status.PENDING).first()
    )
    if callback is None:
        if ticket is not None and actor is not None:
            _attach_ticket(phone, actor, ticket)
        return None
    now = timezone.now()
    held_by_actor = actor is not None and callback.holder_id == actor.pk
    callback.status = Status.REACHED if held_by_actor and ticket else Status.CALLER_REACHED_US
    callback.ticket = ticket if held_by_actor else None
    callback.closed_at, callback.closed_by = now, actor if held_by_actor else None
    callback.holder, callback.held_at = None, None
    callback.save()
    return callback


def _attach_ticket(phone, actor, ticket) -> None:
    Callback.objects.filter(
        phone=phone,
        status=Status.REACHED,
        closed_by=actor,
        ticket__isnull=True,
        closed_at__gte=timezone.now() - TICKET_AFTER_REACHED,
    ).update(ticket=ticket)


def _lock(callback: Callback) -> Callback:
    return Callback.objects.select_for_update().get(pk=callback.pk)


def _check_pending(callback: Callback) -> None:
    if callback.status != Status.PENDING:
        raise Conflict(
            _("This callback is %(status)s: there is nothing left to do.")
            % {"status": Status(callback.status).label}
        )


@transaction.atomic
def callback_claim(*, actor, callback: Callback) -> Callback:
    """Take a pending callback to ring the number. Of two agents at once, one wins; the
    other is told who has it."""
    callback = _lock(callback)
    _check_pending(callback)
    now = timezone.now()
    if callback.holder_id not in (None, actor.pk) and not selectors.hold_lapsed(callback, now):
        raise Conflict(
            _("%(agent)s is already calling this number back.")
            % {"agent": callback.holder.get_username()}
        )
    callback.holder, callback.held_at = actor, now
    callback.save(update_fields=["holder", "held_at"])
    return callback


@transaction.atomic
def callback_take_next(*, actor) -> Callback | None:
    """The agent's next callback: the one they hold already, else the oldest one due
    (skipping rows another agent is taking at this very moment)."""
    mine = Callback.objects.filter(status=Status.PENDING, holder=actor).first()
    if mine is not None:
        return mine
    callback = selectors.due().select_for_update(skip_locked=True).first()
    if callback is None:
        return None
    callback.holder, callback.held_at = actor, timezone.now()
    callback.save(update_fields=["holder", "held_at"])
    return callback


@transaction.atomic
def callback_outcome(
    *, actor, callback: Callback, outcome: str, ticket_reference: str = ""
) -> Callback:
    """What came of ringing the number, recorded by the agent holding the callback."""
    callback = _lock(callback)
    _check_pending(callback)
    if callback.holder_id != actor.pk:
        raise Forbidden(_("Take this callback before recording what came of it."))
    ticket = _ticket(ticket_reference) if outcome == Outcome.REACHED else None
    now = timezone.now()
    CallbackAttempt.objects.create(callback=callback, agent=actor, outcome=outcome, at=now)
    callback.attempts += 1
    callback.first_attempt_at = callback.first_attempt_at or now
    callback.holder, callback.held_at = None, None
    if outcome == Outcome.NO_ANSWER and callback.attempts < MAX_ATTEMPTS:
        callback.next_attempt_at = _next_shift_moment(now + RETRY_AFTER)
    else:
        callback.status = {
            Outcome.REACHED: Status.REACHED,
            Outcome.NO_ANSWER: Status.GIVEN_UP,
            Outcome.WRONG_NUMBER: Status.WRONG_NUMBER,
        }[outcome]
        callback.closed_at, callback.closed_by, callback.ticket = now, actor, ticket
    callback.save()
    return callback


def _ticket(reference: str) -> Ticket | None:
    if not reference:
        return None
    ticket = Ticket.objects.filter(reference=reference.strip()).first()
    if ticket is None:
        raise ValidationError(
            {"ticket": [_("Ticket: no ticket %(reference)s.") % {"reference": reference}]}
        )
    return ticket
