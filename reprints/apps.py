from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReprintsConfig(AppConfig):
    name = "reprints"
    verbose_name = _("Reprints")
