from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DailySummary(models.Model):
    """One finished day's statistics, as reporting.stats computes them live, kept by the
    `refresh_stats_summary` task so that long ranges read 1 row per day. A row is marked
    stale (and its version raised) when a later change touches its day; stale and
    missing days are computed live."""

    day = models.DateField(primary_key=True)
    figures = models.JSONField()  # stats.daily's row for the day
    people = models.JSONField()  # stats.person_sums for the day
    hours = models.JSONField()  # calls per hour of day, 24 numbers
    stale = models.BooleanField(default=False)
    # Raised by every change that marks the day stale: a refresh stores its figures
    # only if the version is still the one it saw before computing them.
    version = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The table kept its name when the model moved here from tickets.
        db_table = "tickets_dailysummary"
        verbose_name = _("daily summary")
        verbose_name_plural = _("daily summaries")
        permissions = [("view_statistics", "Can see call statistics")]

    def __str__(self):
        return self.day.isoformat()
