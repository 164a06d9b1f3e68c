from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    OFFLINE = "offline", _("Offline")
    READY = "ready", _("Ready")
    ON_CALL = "on_call", _("On a call")
    WRAP_UP = "wrap_up", _("Wrap-up")
    BREAK = "break", _("On a break")


class BreakReason(models.TextChoices):
    LUNCH = "lunch", _("Lunch")
    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class AgentStatus(models.Model):
    """An agent's status now, one row per agent; its history is in StatusInterval."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="presence",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OFFLINE
    )
    reason = models.CharField(_("reason"), max_length=10, choices=BreakReason.choices, blank=True)
    since = models.DateTimeField(_("since"))
    # The console's last request: an agent not seen for the idle time goes offline.
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agent status")
        verbose_name_plural = _("agent statuses")
        permissions = [("set_own_status", "Can set their own status")]

    def __str__(self):
        return f"{self.agent_id} {self.status}"


class StatusInterval(models.Model):
    """A stretch of time an agent spent in one status: the figures per agent and day
    (time ready, on calls, in wrap-up, on break by reason) add these up."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="status_intervals"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=10, choices=BreakReason.choices, blank=True)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("status interval")
        verbose_name_plural = _("status intervals")
        indexes = [
            # Figures per day: intervals overlapping the range.
            models.Index(fields=["started_at"], name="interval_started"),
            # The open interval of an agent.
            models.Index(
                fields=["agent"], name="interval_open", condition=models.Q(ended_at__isnull=True)
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agent"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_interval_per_agent",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="interval_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.agent_id} {self.status} {self.started_at:%H:%M}"
