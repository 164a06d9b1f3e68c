from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallbacksConfig(AppConfig):
    name = "callbacks"
    verbose_name = _("Callbacks")

    def ready(self):
        from tickets import hooks

        from . import services, views

        hooks.call_abandoned.connect(services.callback_missed)
        hooks.caller_reached.connect(services.callback_caller_reached)
        hooks.console_panels.connect(views.console_panel)
        hooks.console_initial.connect(views.console_initial)
