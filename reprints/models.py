from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    """Why the centre reprints a card (services check it against the record)."""

    SLOW_APPROVAL = "slow_approval", _("Approval stalled")
    SLOW_PRINTING = "slow_printing", _("Printing stalled")
    CARD_DEFECT = "card_defect", _("Defective card")


class ReprintPolicy(models.Model):
    """How often pending reprint requests are batched; one row, set by supervisors."""

    interval_days = models.PositiveSmallIntegerField(
        _("days between batches"), choices=[(2, "2"), (3, "3")], default=3
    )

    class Meta:
        verbose_name = _("reprint schedule")
        verbose_name_plural = _("reprint schedule")

    def __str__(self):
        return str(_("Every %(days)d days") % {"days": self.interval_days})

    @classmethod
    def current(cls) -> "ReprintPolicy":
        return cls.objects.get_or_create(pk=1)[0]


class ReprintBatch(models.Model):
    """A numbered list of reprints handed to the card-printing unit."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SENT = "sent", _("Sent to the print desk")
        DONE = "done", _("Done")

    number = models.PositiveIntegerField(_("number"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reprint batch")
        verbose_name_plural = _("reprint batches")
        ordering = ["-number"]
        permissions = [("run_reprint_batch", "Can build a reprint batch now")]

    def __str__(self):
        return f"#{self.number}"


class ReprintItem(models.Model):
    """One card to reprint, and every ticket that asked for it.

    Pending while `batch` is empty; `active` until the print desk has marked it. The
    constraint keeps an application out of two unfinished batches (and out of two
    pending requests): tickets about the same card share the item.
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        PRINTED = "printed", _("Printed")
        FAILED = "failed", _("Failed")

    application = models.ForeignKey(
        "citizens.CardApplication", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    batch = models.ForeignKey(
        ReprintBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    tickets = models.ManyToManyField("tickets.Ticket", related_name="reprint_items")
    active = models.BooleanField(default=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    note = models.TextField(_("note"), blank=True, max_length=10000)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reprint item")
        verbose_name_plural = _("reprint items")
        ordering = ["id"]
        permissions = [
            ("request_reprint", "Can put a card on the reprint list"),
            ("mark_reprintitem", "Can mark reprints printed or failed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(active=True),
                name="one_unfinished_reprint_per_application",
            ),
        ]
        indexes = [
            # The batch build: pending requests, oldest first.
            models.Index(
                fields=["requested_at"],
                name="reprint_pending",
                condition=models.Q(batch__isnull=True, active=True),
            ),
        ]

    def __str__(self):
        return f"{self.application_id} {self.reason}"


class SmsMessage(models.Model):
    """The outbox: a text to a caller, kept until the backend has taken it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")

    phone = models.CharField(_("phone"), max_length=20)
    text = models.TextField(_("text"), max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    ticket_reference = models.CharField(max_length=12, blank=True)

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS outbox")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"], name="sms_pending", condition=models.Q(status="pending")
            )
        ]

    def __str__(self):
        return f"{self.phone} {self.status}"
