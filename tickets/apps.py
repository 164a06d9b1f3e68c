from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Calls and tickets")

    def ready(self):
        from citizens.hooks import lookup_ticket_held

        from .selectors import ticket_held_by

        lookup_ticket_held.connect(ticket_held_by)
