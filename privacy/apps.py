from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data protection (SPEC §9): retention, data-subject requests and the
    access review. Stands above every app whose rows it reads and erases (tickets,
    calls, callbacks, the access log), below reporting."""

    name = "privacy"
    verbose_name = _("Personal data protection")
