"""The ticket life cycle, written down once.

Each action names the states it may start from, the state it leads to, and the
sentence that refuses it from any other state. Services call `transition()` before
changing a ticket; a refused action raises `TransitionNotAllowed`, which the API
answers with 409 and a page with a message.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from callcenter.errors import Conflict, Forbidden

from .models import Status


class TransitionNotAllowed(Conflict):
    """The ticket's state does not allow the action."""


class NotTicketHolder(Forbidden):
    """The user may perform the action in general but not on this ticket."""


@dataclass(frozen=True)
class Action:
    sources: frozenset[str]
    target: str
    refusal: object  # a lazy translation with %(reference)s and %(status)s


ACTIONS = {
    "escalate": Action(
        frozenset({Status.OPEN}),
        Status.ESCALATED,
        _("Ticket %(reference)s is %(status)s: only an open ticket can be escalated."),
    ),
    "claim": Action(
        frozenset({Status.ESCALATED}),
        Status.ASSIGNED,
        _("Ticket %(reference)s is %(status)s: only an escalated ticket can be claimed."),
    ),
    "release": Action(
        frozenset({Status.ASSIGNED}),
        Status.ESCALATED,
        _("Ticket %(reference)s is %(status)s: only a claimed ticket can be released."),
    ),
    "link": Action(
        frozenset({Status.ASSIGNED}),
        Status.ASSIGNED,
        _("Ticket %(reference)s is %(status)s: claim it before linking an application."),
    ),
    "request_reprint": Action(
        frozenset({Status.ASSIGNED}),
        Status.AWAITING_REPRINT,
        _("Ticket %(reference)s is %(status)s: a reprint is requested for a claimed ticket."),
    ),
    "reprint_failed": Action(
        frozenset({Status.AWAITING_REPRINT}),
        Status.ASSIGNED,
        _("Ticket %(reference)s is %(status)s: it is not awaiting a reprint."),
    ),
    "resolve": Action(
        frozenset({Status.OPEN, Status.ASSIGNED}),
        Status.RESOLVED,
        _("Ticket %(reference)s is %(status)s: only an open or claimed ticket can be resolved."),
    ),
    "reprint_printed": Action(
        frozenset({Status.AWAITING_REPRINT}),
        Status.RESOLVED,
        _("Ticket %(reference)s is %(status)s: it is not awaiting a reprint."),
    ),
    "reopen": Action(
        frozenset({Status.RESOLVED}),
        Status.ESCALATED,
        _("Ticket %(reference)s is %(status)s: only a resolved ticket can be reopened."),
    ),
}


def allowed_actions(status: str) -> list[str]:
    return [name for name, action in ACTIONS.items() if status in action.sources]


def transition(ticket, action_name: str) -> str:
    """Return the state `action_name` leads to from the ticket's state, or refuse."""
    action = ACTIONS[action_name]
    if ticket.status not in action.sources:
        raise TransitionNotAllowed(
            action.refusal % {"reference": ticket.reference, "status": Status(ticket.status).label}
        )
    return action.target
