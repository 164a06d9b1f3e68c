"""What a citizen is told about their application or ticket: the step reached in plain
words, the receiving unit and what to do next, and nothing else (SPEC §8.5)."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from callcenter.calendar import add_working_days
from citizens.models import REPRINTED, ApplicationStatus, RejectionReason
from citizens.search import LEGAL_WORKING_DAYS, Match

S = ApplicationStatus


def _day(value) -> str:
    return date_format(value, "d/m/Y")


def _labels() -> dict:
    return {
        S.RECEIVED: _("Application received"),
        S.APPROVED: _("Application approved"),
        S.PRINTING: _("Card being printed"),
        S.PRINTED: _("Card printed"),
        S.DISPATCHED: _("Card sent to the local police"),
        S.DELIVERED: _("Card handed to you"),
        S.REJECTED: _("Application refused"),
        REPRINTED: _("Card printed again"),
    }


def _next_step(match: Match) -> str:
    a = match.application
    unit = a.receiving_unit
    if a.status in (S.RECEIVED, S.APPROVED, S.PRINTING):
        if match.stuck:
            return _(
                "Delayed: past the legal %(days)d working days. Leave your number and we "
                "will call you."
            ) % {"days": LEGAL_WORKING_DAYS}
        until = add_working_days(a.lodged_on, LEGAL_WORKING_DAYS)
        return _("In processing, within the legal %(days)d working days, until %(date)s.") % {
            "days": LEGAL_WORKING_DAYS,
            "date": _day(until),
        }
    if a.status == S.PRINTED:
        text = _(
            "Printed: the card is on its way to %(unit)s; you will be told when to collect it."
        )
        return text % {"unit": unit}
    if a.status == S.DISPATCHED:
        return _("Collect it at %(unit)s, with your appointment slip.") % {"unit": unit}
    if a.status == S.DELIVERED:
        return _("The card was handed over. If you did not receive it, call 1900 0368.")
    reason = RejectionReason(a.rejection_reason).label if a.rejection_reason else _("see the unit")
    return _("Re-apply at %(unit)s because: %(reason)s.") % {"unit": unit, "reason": reason}


def application_answer(match: Match | None) -> dict:
    """The bot API's body (and the page's context) for a look-up."""
    if match is None:
        return {"found": False}
    a, labels = match.application, _labels()
    return {
        "found": True,
        "status": a.status,
        "status_label": labels[a.status],
        "steps": [{"status": s, "date": d.isoformat()} for s, d in a.timeline_steps()],
        "receiving_unit": a.receiving_unit,
        "next_step": _next_step(match),
    }


def step_rows(match: Match) -> list[tuple[str, str]]:
    """(label, dd/mm/yyyy) per step, for the page."""
    labels = _labels()
    return [(labels[s], _day(d)) for s, d in match.application.timeline_steps()]


def ticket_answer(ticket) -> dict:
    if ticket is None:
        return {"found": False}
    return {
        "found": True,
        "status": ticket.status,
        "status_label": ticket.get_status_display(),
        "updated_at": ticket.updated_at,
        "resolution_label": ticket.get_resolution_code_display() if ticket.resolution_code else "",
    }
