"""What the apps above tickets plug into (see callcenter.hooks)."""

from django.template.loader import render_to_string

from callcenter.hooks import Hook


def render_panels(request, answers, **shared) -> list[str]:
    """The HTML of the (template, context) pairs a panels hook answered (None: nothing),
    each rendered with `shared` added to its own context."""
    return [
        render_to_string(template, {**context, **shared}, request=request)
        for template, context in (answer for answer in answers if answer is not None)
    ]


ticket_changed = Hook(
    "A ticket's status or step times changed, inside the change's transaction: "
    "receivers get `ticket` and `before`, its Ticket.step_times() before the change."
)
days_touched = Hook(
    "Calls or tickets counted on these local days changed (a call logged late, a PBX "
    "event): receivers get `days`, a set of dates."
)
ticket_panels = Hook(
    "The ticket page asks for extra panels: receivers get `ticket`, `actor` and "
    "`actions` (lifecycle.allowed_actions) and return a (template name, context) pair "
    "or None."
)
call_abandoned = Hook("A PBX call was hung up before anyone answered: receivers get `call`.")
caller_reached = Hook(
    "The hotline and a caller spoke: an inbound call was answered or a contact logged. "
    "Receivers get `phone` (E.164, never blank), `actor` (the agent, or None for the "
    "PBX) and `ticket` (the ticket the contact went to, or None)."
)
console_panels = Hook(
    "The agent console asks for extra panels: receivers get `request` and return a "
    "(template name, context) pair or None."
)
console_initial = Hook(
    "The agent console is opened with a query string: receivers get `request` and "
    "return initial form values (a dict) or None."
)
call_event_recorded = Hook(
    "A PBX event changed a call: receivers get `call` (its times and agent brought up "
    "to date) and `event` (ringing, answered or hangup)."
)
contact_logged = Hook(
    "An agent logged a contact, as a new ticket or a follow-up call: receivers get "
    "`actor` and `ticket`."
)
