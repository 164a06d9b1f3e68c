"""Each ticket's SLA state, from its category's targets in business time."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from callcenter.calendar import add_business_seconds, business_seconds_between, shift_seconds

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


def state(ticket, *, now: datetime.datetime | None = None, table=None) -> SlaState | None:
    """The claim clock runs while a ticket waits in the queue; the resolve clock from
    escalation until it is resolved. A ticket answered at first contact has no SLA."""
    if ticket.escalated_at is None:
        return None
    now = now or timezone.now()
    claim_hours, resolve_days = (table or targets())[ticket.category]
    if ticket.status == Status.ESCALATED:
        used = business_seconds_between(ticket.escalated_at, now)
        return SlaState(_judge(used, claim_hours * 3600), "claim")
    limit = resolve_days * shift_seconds()
    if ticket.status == Status.RESOLVED and ticket.resolved_at:
        used = business_seconds_between(ticket.escalated_at, ticket.resolved_at)
        return SlaState("met" if used <= limit else "breached", "resolve")
    return SlaState(_judge(business_seconds_between(ticket.escalated_at, now), limit), "resolve")


def _judge(used: int, limit: int) -> str:
    if used > limit:
        return "breached"
    if used > limit * (1 - DUE_SOON_SHARE):
        return "due_soon"
    return "on_track"
