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
