from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from .roles import sync_role_groups

    sync_role_groups()


class CallcenterConfig(AppConfig):
    name = "callcenter"
    verbose_name = _("Call centre")

    def ready(self):
        # Permissions exist only after every app has migrated, so the groups are
        # synced once the last app in INSTALLED_APPS has.
        last = list(self.apps.get_app_configs())[-1]
        post_migrate.connect(_sync_roles, sender=last)

        from .auth import connect_invalidation
        from .calendar import forget_exceptions
        from .models import CalendarDay
        from .tokens import connect_token_revocation

        connect_invalidation()
        connect_token_revocation()
        post_save.connect(forget_exceptions, sender=CalendarDay, dispatch_uid="calendar-save")
        post_delete.connect(forget_exceptions, sender=CalendarDay, dispatch_uid="calendar-del")
