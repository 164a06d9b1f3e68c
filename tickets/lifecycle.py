"""The ticket life cycle, written down once.

Each action names the states it may start from and the state it leads to. Services
call `transition()` before changing a ticket; an action from any other state raises
`TransitionNotAllowed`, which the API answers with 409 and a page with a message.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from callcenter.errors import Conflict, Forbidden

from .models import Status


class TransitionNotAllowed(Conflict):
    """The ticket's state does not allow the action."""


class NotTicketHolder(Forbidden):
    """The user may perform the action in general but not on this ticket."""


@dataclass(frozen=True)
class Action:
    label: object
    sources: frozenset[str]
    target: str


ACTIONS = {
    "escalate": Action(gettext_lazy("escalate"), frozenset({Status.OPEN}), Status.ESCALATED),
    "claim": Action(gettext_lazy("claim"), frozenset({Status.ESCALATED}), Status.ASSIGNED),
    "release": Action(gettext_lazy("release"), frozenset({Status.ASSIGNED}), Status.ESCALATED),
    "request_reprint": Action(
        gettext_lazy("request a reprint for"),
        frozenset({Status.ASSIGNED}),
        Status.AWAITING_REPRINT,
    ),
    "reprint_failed": Action(
        gettext_lazy("return after a failed print"),
        frozenset({Status.AWAITING_REPRINT}),
        Status.ASSIGNED,
    ),
    "resolve": Action(
        gettext_lazy("resolve"), frozenset({Status.OPEN, Status.ASSIGNED}), Status.RESOLVED
    ),
    "reprint_printed": Action(
        gettext_lazy("close after printing"),
        frozenset({Status.AWAITING_REPRINT}),
        Status.RESOLVED,
    ),
    "reopen": Action(gettext_lazy("reopen"), frozenset({Status.RESOLVED}), Status.ESCALATED),
}


def allowed_actions(status: str) -> list[str]:
    return [name for name, action in ACTIONS.items() if status in action.sources]


def transition(ticket, action_name: str) -> str:
    """Return the state `action_name` leads to from the ticket's state, or refuse."""
    action = ACTIONS[action_name]
    if ticket.status not in action.sources:
        raise TransitionNotAllowed(
            _("Ticket %(reference)s is %(status)s: cannot %(action)s it.")
            % {
                "reference": ticket.reference,
                "status": Status(ticket.status).label,
                "action": action.label,
            }
        )
    return action.target
