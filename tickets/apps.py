from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _calendar_day_changed(instance, **kwargs):
    # Whether a day is a working day decides its "calls in the shift".
    from .summary import mark_days_stale

    mark_days_stale({instance.date})


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Calls and tickets")

    def ready(self):
        from callcenter.models import CalendarDay

        for signal, uid in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                _calendar_day_changed, sender=CalendarDay, dispatch_uid=f"summary-calendar-{uid}"
            )
