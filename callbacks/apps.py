from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallbacksConfig(AppConfig):
    name = "callbacks"
    verbose_name = _("Callbacks")

    def ready(self):
        from callcenter.hooks import demo_seeders
        from tickets import hooks

        from . import seeding, services, views

        demo_seeders.connect(seeding.seed_contacts)
        hooks.call_abandoned.connect(services.callback_missed)
        hooks.caller_reached.connect(services.callback_caller_reached)
        hooks.console_panels.connect(views.console_panel)
        hooks.console_initial.connect(views.console_initial)
