from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.utils.translation import gettext_lazy as _


def _logged_out(sender, request, user, **kwargs):
    from .models import AgentStatus
    from .services import status_offline

    if user is not None and AgentStatus.objects.filter(agent=user).exists():
        status_offline(agent=user)


def _call_event(*, call, event):
    from .services import status_from_call

    status_from_call(call=call, event=event)


def _contact_logged(*, actor, ticket):
    from .models import AgentStatus
    from .services import status_after_logging

    if AgentStatus.objects.filter(agent=actor).exists():
        status_after_logging(agent=actor)


class PresenceConfig(AppConfig):
    name = "presence"
    verbose_name = _("Agent status")

    def ready(self):
        from callcenter.hooks import demo_seeders
        from tickets import hooks

        from . import seeding, views

        demo_seeders.connect(seeding.seed_presence)
        hooks.call_event_recorded.connect(_call_event)
        hooks.contact_logged.connect(_contact_logged)
        hooks.console_panels.connect(views.console_panel)
        user_logged_out.connect(_logged_out, dispatch_uid="presence-logged-out")
