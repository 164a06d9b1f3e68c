"""What the apps above citizens plug into (see callcenter.hooks)."""

from callcenter.hooks import Hook

lookup_ticket_held = Hook(
    "A record look-up names the ticket it is for: receivers get `user` and `reference` "
    "and return True when the user holds that ticket or has held it. Nobody answering "
    "True refuses the look-up."
)
