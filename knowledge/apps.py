from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Published answers")

    def ready(self):
        from callcenter.hooks import demo_seeders

        from . import seeding

        demo_seeders.connect(seeding.seed_demo_answers)
