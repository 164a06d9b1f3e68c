from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Field(models.TextChoices):
    """The fields of a card application a correction may change (SPEC §10)."""

    FULL_NAME = "full_name", _("Full name")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    SEX = "sex", _("Sex")
    CCCD_NUMBER = "cccd_number", _("CCCD number")
    OLD_ID_NUMBER = "old_id_number", _("Old ID number")
    PROVINCE_CODE = "province_code", _("Province of residence")


class CorrectionList(models.Model):
    """A numbered list of correction requests handed to one receiving unit's police."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    receiving_unit = models.CharField(_("receiving unit"), max_length=120)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    done_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("correction list")
        verbose_name_plural = _("correction lists")
        ordering = ["-number"]
        permissions = [("run_correction_lists", "Can build the correction lists now")]

    def __str__(self):
        return f"#{self.number} {self.receiving_unit}"


class CorrectionRequest(models.Model):
    """An error an officer found in a card application, and what it should say.

    `open` until a list takes it (`sent`), then `corrected` or `refused` by the local
    police's answer. The constraint keeps one unfinished request per application and
    field: tickets asking for the same change share it.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SENT = "sent", _("Sent")
        CORRECTED = "corrected", _("Corrected")
        REFUSED = "refused", _("Refused")

    application = models.ForeignKey(
        "citizens.CardApplication", on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    recorded_value = models.CharField(_("value on record"), max_length=200, blank=True)
    correct_value = models.CharField(_("correct value"), max_length=200)
    evidence = models.TextField(_("evidence"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    correction_list = models.ForeignKey(
        CorrectionList,
        verbose_name=_("correction list"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    tickets = models.ManyToManyField("tickets.Ticket", related_name="correction_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_note = models.TextField(_("answer"), max_length=10000, blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["id"]
        permissions = [("answer_correctionrequest", "Can record the police's answer")]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "field"],
                condition=models.Q(status__in=["open", "sent"]),
                name="one_unfinished_correction_per_field",
            ),
        ]
        indexes = [
            # The list build: open requests not yet on a list.
            models.Index(
                fields=["requested_at"],
                name="correction_pending",
                condition=models.Q(status="open"),
            ),
            # GET /corrections/?status=, newest first.
            models.Index(fields=["status", "-requested_at"], name="correction_status"),
        ]

    def __str__(self):
        return f"{self.application_id} {self.field}"

    @property
    def unfinished(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.SENT)
