"""The ticket life cycle, written down once: who may do what, from which state.

Each action names the states it may start from, the state it leads to, the
permission a role needs for it, who among those may act on this ticket (`may`), and
what the ticket must already have (`ready`). Services call `check()` under the
ticket's row lock; pages and the API list `allowed_actions()`. A wrong state raises
`TransitionNotAllowed` (409), someone else's ticket `NotTicketHolder` (403), a ticket
not ready `NotReady` (409).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from callcenter.errors import Conflict, Forbidden

from .models import Status


class TransitionNotAllowed(Conflict):
    """The ticket's state does not allow the action."""


class NotTicketHolder(Forbidden):
    """The user may perform the action in general but not on this ticket."""


class NotReady(Conflict):
    """The ticket lacks what the action needs (a linked application)."""


def _anyone(actor, ticket) -> bool:
    return True


def _holder(actor, ticket) -> bool:
    """The officer holding a claimed ticket; for other states, whoever the role lets."""
    return ticket.status != Status.ASSIGNED or ticket.assignee_id == actor.pk


def _assignee(actor, ticket) -> bool:
    """The officer the ticket is with, in every state."""
    return ticket.assignee_id == actor.pk


def _owner(actor, ticket) -> bool:
    """An open ticket is resolved by the agent who logged it, a claimed one by its holder."""
    if ticket.status == Status.OPEN:
        return ticket.created_by_id == actor.pk
    return _holder(actor, ticket)


def _has_application(ticket) -> bool:
    return ticket.linked_application_id is not None


ALL_STATES = frozenset(Status.values)
# A resolved case the caller rings about again within this time is reopened by the
# follow-up call, not logged anew.
REOPEN_WITHIN = datetime.timedelta(days=14)


@dataclass(frozen=True)
class Action:
    sources: frozenset[str]
    target: str | None  # None: the state stays (a note, a link)
    perms: tuple[str, ...]
    refusal: object  # lazy text with %(reference)s and %(status)s
    may: Callable = _anyone
    ready: Callable | None = None
    not_ready: object = ""


ACTIONS = {
    "escalate": Action(
        frozenset({Status.OPEN}),
        Status.ESCALATED,
        ("tickets.escalate_ticket",),
        gettext_lazy("Ticket %(reference)s is %(status)s: only an open ticket can be escalated."),
    ),
    "claim": Action(
        frozenset({Status.ESCALATED}),
        Status.ASSIGNED,
        ("tickets.claim_ticket",),
        gettext_lazy(
            "Ticket %(reference)s is %(status)s: only an escalated ticket can be claimed."
        ),
    ),
    "release": Action(
        frozenset({Status.ASSIGNED}),
        Status.ESCALATED,
        ("tickets.claim_ticket",),
        gettext_lazy("Ticket %(reference)s is %(status)s: only a claimed ticket can be released."),
        may=_holder,
    ),
    "link": Action(
        frozenset({Status.ASSIGNED}),
        None,
        ("tickets.claim_ticket", "citizens.search_records"),
        gettext_lazy("Ticket %(reference)s is %(status)s: claim it before linking an application."),
        may=_holder,
    ),
    "request_reprint": Action(
        frozenset({Status.ASSIGNED}),
        Status.AWAITING_REPRINT,
        ("reprints.request_reprint",),
        gettext_lazy(
            "Ticket %(reference)s is %(status)s: a reprint is requested for a claimed ticket."
        ),
        may=_holder,
        ready=_has_application,
        not_ready=gettext_lazy("Ticket %(reference)s has no linked application: link one first."),
    ),
    "reprint_failed": Action(
        frozenset({Status.AWAITING_REPRINT}),
        Status.ASSIGNED,
        ("reprints.mark_reprintitem",),
        gettext_lazy("Ticket %(reference)s is %(status)s: it is not awaiting a reprint."),
    ),
    "reprint_printed": Action(
        frozenset({Status.AWAITING_REPRINT}),
        Status.RESOLVED,
        ("reprints.mark_reprintitem",),
        gettext_lazy("Ticket %(reference)s is %(status)s: it is not awaiting a reprint."),
    ),
    # A correction request to the local police: the ticket waits for their answer
    # (its holder may file another field meanwhile).
    "request_correction": Action(
        frozenset({Status.ASSIGNED, Status.AWAITING_CORRECTION}),
        Status.AWAITING_CORRECTION,
        ("corrections.add_correctionrequest",),
        gettext_lazy(
            "Ticket %(reference)s is %(status)s: a correction is requested for a claimed ticket."
        ),
        may=_assignee,
        ready=_has_application,
        not_ready=gettext_lazy("Ticket %(reference)s has no linked application: link one first."),
    ),
    "correction_refused": Action(
        frozenset({Status.AWAITING_CORRECTION}),
        Status.ASSIGNED,
        ("corrections.answer_correctionrequest",),
        gettext_lazy("Ticket %(reference)s is %(status)s: it is not awaiting a correction."),
    ),
    "correction_made": Action(
        frozenset({Status.AWAITING_CORRECTION}),
        Status.RESOLVED,
        ("corrections.answer_correctionrequest",),
        gettext_lazy("Ticket %(reference)s is %(status)s: it is not awaiting a correction."),
    ),
    "resolve": Action(
        frozenset({Status.OPEN, Status.ASSIGNED}),
        Status.RESOLVED,
        ("tickets.resolve_ticket",),
        gettext_lazy(
            "Ticket %(reference)s is %(status)s: only an open or claimed ticket can be resolved."
        ),
        may=_owner,
    ),
    "reopen": Action(
        frozenset({Status.RESOLVED}),
        Status.ESCALATED,
        ("tickets.reopen_ticket",),
        gettext_lazy("Ticket %(reference)s is %(status)s: only a resolved ticket can be reopened."),
    ),
    "note": Action(ALL_STATES, None, ("tickets.add_ticketnote",), ""),
    # The caller rang again about the case (a resolved one is reopened first).
    "add_call": Action(
        ALL_STATES - {Status.RESOLVED},
        None,
        ("tickets.add_ticket",),
        gettext_lazy("Ticket %(reference)s is %(status)s: reopen it to add the call to it."),
    ),
}


def _refusal(ticket, action: Action) -> str:
    if ticket.status == Status.ASSIGNED and action is ACTIONS["claim"]:
        return _("Ticket %(reference)s was already claimed by %(officer)s.") % {
            "reference": ticket.reference,
            "officer": ticket.assignee.get_username(),
        }
    return action.refusal % {"reference": ticket.reference, "status": Status(ticket.status).label}


def _not_holder(ticket) -> str:
    if ticket.status == Status.OPEN:
        return _("Ticket %(reference)s was logged by another agent.") % {
            "reference": ticket.reference
        }
    return _("Ticket %(reference)s is held by another officer.") % {"reference": ticket.reference}


def check(ticket, name: str, actor) -> str:
    """Refuse the action unless `actor` may take it on the ticket now; return the state it
    leads to (the ticket's own when it keeps its state)."""
    action = ACTIONS[name]
    if not actor.has_perms(action.perms):
        raise Forbidden(_("Your role may not do this."))
    if ticket.status not in action.sources:
        raise TransitionNotAllowed(_refusal(ticket, action))
    if not action.may(actor, ticket):
        raise NotTicketHolder(_not_holder(ticket))
    if action.ready is not None and not action.ready(ticket):
        raise NotReady(action.not_ready % {"reference": ticket.reference})
    return action.target or ticket.status


def permitted(name: str, actor) -> bool:
    """Whether the actor's role may take the action on some ticket (the role check
    views and API make before fetching the ticket)."""
    return actor.has_perms(ACTIONS[name].perms)


def allowed_actions(ticket, actor) -> list[str]:
    """The actions `actor` may take on the ticket now, in the table's order."""
    allowed = []
    for name, action in ACTIONS.items():
        if (
            ticket.status in action.sources
            and actor.has_perms(action.perms)
            and action.may(actor, ticket)
            and (action.ready is None or action.ready(ticket))
        ):
            allowed.append(name)
    return allowed
