from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class Callback(models.Model):
    """A number to ring back: a caller the hotline missed, or a citizen who asked to be
    called on the self-service page. One pending callback per number gathers its missed
    calls; an agent takes it, dials, and records the outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        REACHED = "reached", _("Reached")
        GIVEN_UP = "given_up", _("Given up")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        CALLER_REACHED_US = "caller_reached_us", _("Caller reached us")

    phone = PhoneNumberField(_("phone"), region="VN")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    missed_calls = models.PositiveIntegerField(_("missed calls"), default=1)
    first_missed_at = models.DateTimeField(_("first missed at"))
    last_missed_at = models.DateTimeField(_("last missed at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    first_attempt_at = models.DateTimeField(_("first attempt at"), null=True, blank=True)
    # Due from this moment: at once in the shift, the next morning outside it, and no
    # sooner than 30 minutes after an unanswered attempt.
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="callbacks_held",
    )
    held_at = models.DateTimeField(_("held since"), null=True, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A citizen asked for the call on the self-service page, about this application.
    application = models.ForeignKey(
        "citizens.CardApplication",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("asked for at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        permissions = [("work_callback", "Can take callbacks and record their outcome")]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"],
                condition=models.Q(status="pending"),
                name="one_pending_callback_per_number",
            )
        ]
        indexes = [
            # The callback list and the console's count: pending, due first, oldest first.
            models.Index(
                fields=["next_attempt_at", "first_missed_at"],
                name="callback_pending_due",
                condition=models.Q(status="pending"),
            ),
            # Statistics per day.
            models.Index(fields=["first_missed_at"], name="callback_first_missed"),
            # A ticket logged for a number: was its callback just reached (callbacks.services)?
            models.Index(
                fields=["phone"],
                name="callback_reached_no_ticket",
                condition=models.Q(status="reached", ticket__isnull=True),
            ),
            models.Index(
                fields=["closed_at"],
                name="callback_closed",
                condition=models.Q(closed_at__isnull=False),
            ),
            models.Index(
                fields=["requested_at"],
                name="callback_requested",
                condition=models.Q(requested_at__isnull=False),
            ),
            models.Index(
                fields=["first_attempt_at"],
                name="callback_first_attempt",
                condition=models.Q(first_attempt_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.phone} ({self.get_status_display()})"


class CallbackAttempt(models.Model):
    """One time an agent rang the number back, and what came of it."""

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NO_ANSWER = "no_answer", _("No answer")
        WRONG_NUMBER = "wrong_number", _("Wrong number")

    callback = models.ForeignKey(Callback, on_delete=models.CASCADE, related_name="attempts_made")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("callback attempt")
        verbose_name_plural = _("callback attempts")
        ordering = ["at", "id"]
        indexes = [
            # Callbacks made per agent and day.
            models.Index(fields=["at"], name="callback_attempt_at"),
        ]

    def __str__(self):
        return f"{self.callback_id} {self.outcome}"
