from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectRequest(models.Model):
    """A data-subject request handled by a supervisor (SPEC §9): a search of what is
    held about a phone or ID number, an export of it, a correction or an erasure, with
    its reason. Each is itself logged here; nobody edits these rows."""

    class Kind(models.TextChoices):
        SEARCH = "search", _("Search")
        EXPORT = "export", _("Export")
        CORRECTION = "correction", _("Correction")
        ERASURE = "erasure", _("Erasure")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(_("ID number"), max_length=12, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    # What was found, exported or changed: counts, references, fields.
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-at", "-id"]
        permissions = [
            ("handle_subject_requests", "Can find, export, correct and erase personal data"),
            ("review_access", "Can review record look-ups"),
        ]

    def __str__(self):
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class AccessDigest(models.Model):
    """The daily digest of look-ups that need a second look, as built for one day."""

    day = models.DateField(_("day"), unique=True)
    built_at = models.DateTimeField(_("built at"), auto_now=True)
    findings = models.JSONField(_("findings"), default=list)

    class Meta:
        verbose_name = _("access review digest")
        verbose_name_plural = _("access review digests")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} ({len(self.findings)})"


class ErasureRun(models.Model):
    """One run of the retention erasure: when, up to which cut-off, and how many rows
    of each kind it erased (or, for a dry run, would have)."""

    at = models.DateTimeField(_("at"), auto_now_add=True)
    resolved_before = models.DateTimeField(_("tickets resolved before"))
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        verbose_name = _("erasure run")
        verbose_name_plural = _("erasure runs")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M}"
