"""Demo data of the second release: repeat callers and missed calls.

The seeds' hotline answered about one call in five: the rest hung up waiting. Missed
calls go through the PBX service (tickets.cti) as the PBX would report them, so the
calls, their events and the callbacks are exactly what a real day leaves; callbacks of
past days are then worked as agents would have (reached, given up, wrong numbers),
their outcome rows written with the times they would have had.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from callcenter.calendar import is_working_day
from tickets import cti, services
from tickets.models import Status, Ticket
from tickets.seeding import HOUR_WEIGHTS, random_phone

from .models import Callback, CallbackAttempt

MISSED_PER_DAY = 150
DAYS_OF_MISSED_CALLS = 10
FOLLOW_UP_SHARE = 0.5


def seed_contacts(*, days: int, stdout=None, seed: int = 7) -> tuple[int, int]:
    """Follow-up calls on a share of the open tickets, and missed calls (with their
    callbacks) over the last working days; returns (follow-ups, missed calls)."""
    rng = random.Random(seed)
    agents = list(get_user_model().objects.filter(groups__name="agent"))
    if not agents:
        return 0, 0
    follow_ups = _follow_ups(rng, agents)
    missed = _missed_calls(rng, agents, min(days, DAYS_OF_MISSED_CALLS))
    if stdout is not None:
        stdout.write(f"{follow_ups} follow-up calls, {missed} missed calls with their callbacks.")
    return follow_ups, missed


def _follow_ups(rng, agents) -> int:
    """The caller rang again, once to three times, about a share of the open cases."""
    open_tickets = Ticket.objects.exclude(status=Status.RESOLVED).order_by("id")
    made = 0
    for ticket in open_tickets.iterator():
        if rng.random() >= FOLLOW_UP_SHARE:
            continue
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            started = _later(rng, ticket.created_at)
            if started is None:
                break
            services.ticket_add_call(
                actor=rng.choice(agents),
                ticket=ticket,
                call_started_at=started,
                call_ended_at=started + datetime.timedelta(seconds=rng.randrange(60, 400)),
            )
            made += 1
    return made


def _later(rng, after: datetime.datetime) -> datetime.datetime | None:
    """A moment in a shift after `after`, within the last 30 days and before now."""
    now = timezone.now()
    start = max(after, now - datetime.timedelta(days=29))
    if start >= now:
        return None
    at = start + (now - start) * rng.random()
    return at if is_working_day(timezone.localdate(at)) else None


def _moment(rng, day: datetime.date) -> datetime.datetime:
    hour = rng.choices(list(HOUR_WEIGHTS), weights=list(HOUR_WEIGHTS.values()))[0]
    minute = rng.randrange(30, 60) if hour == 7 else rng.randrange(30 if hour == 17 else 60)
    naive = datetime.datetime.combine(day, datetime.time(hour, minute, rng.randrange(60)))
    return timezone.make_aware(naive)


def _missed_calls(rng, agents, days: int) -> int:
    today, now = timezone.localdate(), timezone.now()
    # Callers who rang more than once: half as many numbers as missed calls.
    pool = [random_phone(rng) for _ in range(max(1, MISSED_PER_DAY * (days + 1) // 2))]
    made = 0
    for offset in range(days, -1, -1):
        day = today - datetime.timedelta(days=offset)
        if not is_working_day(day):
            continue
        for _ in range(MISSED_PER_DAY):
            at = _moment(rng, day)
            if at >= now:
                continue
            _abandon(rng, made, rng.choice(pool), at)
            made += 1
        if day < today:
            _work_the_day(rng, agents, day)
    return made


def _abandon(rng, index: int, phone: str, at: datetime.datetime) -> None:
    call_id = f"demo-missed-{index}"
    extension = str(101 + rng.randrange(20))
    for event, seconds in (("ringing", 0), ("hangup", rng.randrange(20, 240))):
        cti.call_event(
            call_id=call_id,
            event=event,
            at=at + datetime.timedelta(seconds=seconds),
            caller_number=phone,
            agent_extension=extension,
        )


@transaction.atomic
def _work_the_day(rng, agents, day: datetime.date) -> None:
    """The day's callbacks, worked by the agents within an hour or two of the miss:
    most reached, some never answering (given up after three tries), a few wrong."""
    pending = Callback.objects.filter(
        status=Callback.Status.PENDING, first_missed_at__date=day
    ).order_by("id")
    for callback in pending:
        outcome = rng.choices(["reached", "no_answer", "wrong_number"], weights=[7, 2, 1])[0]
        agent = rng.choice(agents)
        at = callback.first_missed_at + datetime.timedelta(minutes=rng.randrange(10, 120))
        tries = 3 if outcome == "no_answer" else 1
        attempts = [
            CallbackAttempt(
                callback=callback,
                agent=agent,
                outcome=outcome,
                at=at + datetime.timedelta(minutes=40 * n),
            )
            for n in range(tries)
        ]
        CallbackAttempt.objects.bulk_create(attempts)
        callback.attempts, callback.first_attempt_at = tries, at
        callback.status = {
            "reached": Callback.Status.REACHED,
            "no_answer": Callback.Status.GIVEN_UP,
            "wrong_number": Callback.Status.WRONG_NUMBER,
        }[outcome]
        callback.closed_at, callback.closed_by = attempts[-1].at, agent
        callback.save()
