"""Every change to calls and tickets goes through these functions: `intake` for a
contact that arrives (a new ticket, a follow-up call), `actions` for the life-cycle
actions on a ticket."""

from .actions import (
    note_add,
    ticket_await_correction,
    ticket_await_reprint,
    ticket_claim,
    ticket_correction_made,
    ticket_correction_refused,
    ticket_escalate,
    ticket_link_application,
    ticket_release,
    ticket_reopen,
    ticket_reprint_failed,
    ticket_reprint_printed,
    ticket_resolve,
)
from .intake import (
    HIGH_PRIORITY_CONTACTS,
    CallAlreadyLogged,
    TooOldToReopen,
    ticket_add_call,
    ticket_create,
)

__all__ = [
    "HIGH_PRIORITY_CONTACTS",
    "CallAlreadyLogged",
    "TooOldToReopen",
    "note_add",
    "ticket_add_call",
    "ticket_await_correction",
    "ticket_await_reprint",
    "ticket_claim",
    "ticket_correction_made",
    "ticket_correction_refused",
    "ticket_create",
    "ticket_escalate",
    "ticket_link_application",
    "ticket_release",
    "ticket_reopen",
    "ticket_reprint_failed",
    "ticket_reprint_printed",
    "ticket_resolve",
]
