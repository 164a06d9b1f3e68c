"""Each ticket's SLA state, from its category's targets in business time."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from callcenter.calendar import (
    add_business_seconds,
    business_seconds_between,
    is_working_day,
    shift_hours,
    shift_seconds,
    working_days_between,
)

from .models import SLA_DEFAULTS, SlaTarget, Status

# Within this share of the target's end, a ticket is "due soon".
DUE_SOON_SHARE = 0.25


@dataclass(frozen=True)
class SlaState:
    code: str  # on_track, due_soon, breached, met
    clock: str  # claim or resolve

    @property
    def label(self):
        return STATE_LABELS[self.code]


STATE_LABELS = {
    "on_track": _("On track"),
    "due_soon": _("Due soon"),
    "breached": _("SLA breached"),
    "met": _("SLA met"),
}


def targets() -> dict[str, tuple[int, int]]:
    """(claim hours, resolve days) per category: the supervisors' rows over defaults."""
    rows = SlaTarget.objects.values_list("category", "claim_within_hours", "resolve_within_days")
    return {**SLA_DEFAULTS, **{c: (h, d) for c, h, d in rows}}


def deadlines(category: str, at: datetime.datetime, *, table=None):
    """When a ticket escalated at `at` must be claimed and resolved by (business time),
    from the category's targets (`table`: targets(), when the caller has it already)."""
    claim_hours, resolve_days = (table or targets())[category]
    return (
        add_business_seconds(at, claim_hours * 3600),
        add_business_seconds(at, resolve_days * shift_seconds()),
    )


class BusinessClock:
    """Shift time from any instant up to `now`, without walking the calendar day by
    day: whole working days between the two dates, plus the parts of the first and the
    last day. Equal to business_seconds_between(start, now) (to the second) for a
    time zone whose clocks do not change during the shift."""

    def __init__(self, now: datetime.datetime):
        self.now = timezone.localtime(now)
        self.opens = shift_hours()[0]
        self.shift = shift_seconds()
        self._now_into_day = self._into_day(self.now)

    def _into_day(self, at: datetime.datetime) -> float:
        """Shift seconds of `at`'s own day that passed before `at`."""
        if not is_working_day(at.date()):
            return 0
        opens = timezone.make_aware(datetime.datetime.combine(at.date(), self.opens))
        return min(max((at - opens).total_seconds(), 0), self.shift)

    def since(self, start: datetime.datetime) -> int:
        start = timezone.localtime(start)
        if start >= self.now:
            return 0
        day = datetime.timedelta(days=1)
        # Working days in [start's date, now's date).
        days = working_days_between(start.date() - day, self.now.date() - day)
        return int(days * self.shift + self._now_into_day - self._into_day(start))


def state(
    ticket, *, now: datetime.datetime | None = None, table=None, clock=None
) -> SlaState | None:
    """The claim clock runs while a ticket waits in the queue; the resolve clock from
    escalation until it is resolved. A ticket answered at first contact has no SLA.
    `table` (targets()) and `clock` (a BusinessClock) when the caller has them already."""
    if ticket.escalated_at is None:
        return None
    clock = clock or BusinessClock(now or timezone.now())
    claim_hours, resolve_days = (table or targets())[ticket.category]
    if ticket.status == Status.ESCALATED:
        return SlaState(_judge(clock.since(ticket.escalated_at), claim_hours * 3600), "claim")
    limit = resolve_days * shift_seconds()
    if ticket.status == Status.RESOLVED and ticket.resolved_at:
        used = business_seconds_between(ticket.escalated_at, ticket.resolved_at)
        return SlaState("met" if used <= limit else "breached", "resolve")
    return SlaState(_judge(clock.since(ticket.escalated_at), limit), "resolve")


def states(tickets, *, now: datetime.datetime | None = None) -> list[SlaState | None]:
    """Each ticket's state in one pass: the targets read once, `now` placed on the
    business calendar once."""
    table, clock = targets(), BusinessClock(now or timezone.now())
    return [state(ticket, table=table, clock=clock) for ticket in tickets]


def _judge(used: int, limit: int) -> str:
    if used > limit:
        return "breached"
    if used > limit * (1 - DUE_SOON_SHARE):
        return "due_soon"
    return "on_track"
