from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgentProfile(models.Model):
    """A hotline seat: the agent's PBX extension, used to route ringing calls."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile"
    )
    extension = models.CharField(_("PBX extension"), max_length=10, unique=True)

    class Meta:
        verbose_name = _("agent profile")
        verbose_name_plural = _("agent profiles")

    def __str__(self):
        return f"{self.user.username} ({self.extension})"


class CalendarDay(models.Model):
    """A day the business calendar treats differently from the rule (weekdays, minus
    Vietnamese public holidays): an extra closed day, or a weekend day worked in
    exchange for a bridge day off (a working-day swap). Entered by supervisors."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Closed")
        WORKING = "working", _("Working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
