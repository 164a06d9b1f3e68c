"""What the apps above tickets plug into (see callcenter.hooks)."""

from callcenter.hooks import Hook

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
