from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from .roles import sync_role_groups

    sync_role_groups()


class CallcenterConfig(AppConfig):
    name = "callcenter"
    verbose_name = _("Call centre")

    def ready(self):
        # Permissions exist only after every app has migrated, so the groups are
        # synced once the last app in INSTALLED_APPS ("reprints") has.
        post_migrate.connect(_sync_roles, sender=self.apps.get_app_config("reprints"))

        from .auth import connect_invalidation

        connect_invalidation()
