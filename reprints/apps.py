from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _ticket_actions(*, ticket, actor, actions):
    """The ticket page's reprint request form, when the life cycle allows it."""
    from .models import Reason

    if "request_reprint" not in actions:
        return None
    return "reprints/_ticket_actions.html", {"reprint_reasons": Reason.choices}


class ReprintsConfig(AppConfig):
    name = "reprints"
    verbose_name = _("Reprints")

    def ready(self):
        from tickets import hooks

        hooks.ticket_panels.connect(_ticket_actions)
