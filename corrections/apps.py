from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _ticket_panel(*, ticket, actor, actions):
    """The ticket page's correction requests, and the form to file one when the life
    cycle allows it."""
    from . import selectors

    requests = selectors.ticket_requests(ticket)
    if "request_correction" not in actions and not requests:
        return None
    return "corrections/_ticket_panel.html", selectors.ticket_panel(ticket, actions, requests)


class CorrectionsConfig(AppConfig):
    name = "corrections"
    verbose_name = _("Record corrections")

    def ready(self):
        from tickets import hooks

        hooks.ticket_panels.connect(_ticket_panel)
