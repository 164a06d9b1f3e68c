from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _calendar_day_changed(instance, **kwargs):
    # Whether a day is a working day decides its "calls in the shift".
    from .summary import mark_days_stale

    mark_days_stale(days={instance.date})


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Statistics")

    def ready(self):
        from callcenter.models import CalendarDay
        from tickets import hooks

        from . import summary

        hooks.ticket_changed.connect(summary.mark_stale)
        hooks.days_touched.connect(summary.mark_days_stale)
        # Whatever moves a wallboard figure, once its transaction commits.
        from presence import hooks as presence_hooks

        from . import wallboard

        def after_commit(**kwargs):
            transaction.on_commit(wallboard.changed)

        for hook in (hooks.ticket_changed, hooks.call_event_recorded, hooks.contact_logged):
            hook.connect(after_commit)
        presence_hooks.status_changed.connect(wallboard.changed)
        for signal, uid in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                _calendar_day_changed, sender=CalendarDay, dispatch_uid=f"summary-calendar-{uid}"
            )
