"""The fixed vocabularies of calls and tickets (SPEC §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    ZALO = "zalo", _("Zalo")
    FACEBOOK = "facebook", _("Facebook")
    EMAIL = "email", _("E-mail")
    WALK_IN = "walk_in", _("Walk-in")


class Category(models.TextChoices):
    DELAYED_CARD = "delayed_card", _("Delayed card")
    REGULATION_QUESTION = "regulation_question", _("Regulation question")
    COMPLAINT = "complaint", _("Complaint")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    ESCALATED = "escalated", _("Escalated")
    ASSIGNED = "assigned", _("Assigned")
    AWAITING_REPRINT = "awaiting_reprint", _("Awaiting reprint")
    AWAITING_CORRECTION = "awaiting_correction", _("Awaiting correction")
    RESOLVED = "resolved", _("Resolved")


class ResolutionCode(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    CARD_AT_LOCAL_POLICE = "card_at_local_police", _("Card at the local police")
    IN_PROCESSING = "in_processing", _("In processing")
    MUST_REAPPLY = "must_reapply", _("Must re-apply")
    NOT_FOUND = "not_found", _("Not found")
    COMPLAINT_FORWARDED = "complaint_forwarded", _("Complaint forwarded")
    REPRINTED = "reprinted", _("Reprinted")
    CORRECTED = "corrected", _("Record corrected")
    DUPLICATE = "duplicate", _("Duplicate")
