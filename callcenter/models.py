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


class AccountEvent(models.Model):
    """Audit trail of changes to staff accounts: two-factor enrolment and resets, new
    users, roles, extensions, password resets and deactivations — who did what to whom."""

    class Action(models.TextChoices):
        TWO_FACTOR_ENROLLED = "2fa_enrolled", _("Two-factor sign-in set up")
        TWO_FACTOR_RESET = "2fa_reset", _("Two-factor sign-in reset")
        CREATED = "created", _("User created")
        CHANGED = "changed", _("User changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        DEACTIVATED = "deactivated", _("User deactivated")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-at", "-id"]
        permissions = [
            ("reset_two_factor", "Can reset a user's two-factor sign-in"),
            ("manage_users", "Can create, change and deactivate staff accounts"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class IdempotencyKey(models.Model):
    """A create request the client marked with a key (the console's hidden form token,
    the API's `Idempotency-Key` header): the first one's result, so a double submission
    or a retried request returns it instead of creating a second one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=30)
    key = models.CharField(max_length=100)
    result = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            # The claim: of two requests with one key, the second waits for the first.
            models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_once")
        ]

    def __str__(self):
        return f"{self.scope} {self.key}"
