"""What the apps above presence plug into (see callcenter.hooks)."""

from callcenter.hooks import Hook

status_changed = Hook("An agent's status changed (called after the change committed).")
