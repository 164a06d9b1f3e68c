from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .text import fold


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    APPROVED = "approved", _("Approved")
    PRINTING = "printing", _("Printing")
    PRINTED = "printed", _("Printed")
    DISPATCHED = "dispatched", _("Dispatched to the local police")
    DELIVERED = "delivered", _("Delivered to the citizen")
    REJECTED = "rejected", _("Rejected")


# Steps in order, each with the date field that records when it was reached.
TIMELINE = [
    (ApplicationStatus.RECEIVED, "lodged_on"),
    (ApplicationStatus.APPROVED, "approved_on"),
    (ApplicationStatus.PRINTING, "printing_on"),
    (ApplicationStatus.PRINTED, "printed_on"),
    (ApplicationStatus.DISPATCHED, "dispatched_on"),
    (ApplicationStatus.DELIVERED, "delivered_on"),
]
REPRINTED = "reprinted"  # a timeline step, not a status: the card was printed again
IN_PROGRESS = (ApplicationStatus.RECEIVED, ApplicationStatus.APPROVED, ApplicationStatus.PRINTING)


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class RejectionReason(models.TextChoices):
    FINGERPRINT_UNREADABLE = "fingerprint_unreadable", _("Fingerprints unreadable")
    DATA_MISMATCH = "data_mismatch", _("Data do not match the population register")
    WRONG_NUMBER_STRUCTURE = "wrong_number_structure", _("Personal number has a wrong structure")
    PHOTO_REJECTED = "photo_rejected", _("Portrait photo not usable")


class CardApplication(models.Model):
    """One application for a chip-based CCCD card, as the card centre records it."""

    application_number = models.CharField(_("application number"), max_length=20, unique=True)
    full_name = models.CharField(_("full name"), max_length=100)
    # fold(full_name), and its first and last words: what name searches compare; kept
    # in step by `set_name`.
    name_key = models.CharField(max_length=100, editable=False)
    family_key = models.CharField(max_length=30, editable=False)
    given_key = models.CharField(max_length=30, editable=False)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    cccd_number = models.CharField(_("CCCD number"), max_length=12)
    old_id_number = models.CharField(_("old ID number"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    province_code = models.CharField(_("province of residence"), max_length=3)
    receiving_unit = models.CharField(_("receiving unit"), max_length=120)
    lodged_on = models.DateField(_("lodged on"))
    status = models.CharField(_("status"), max_length=12, choices=ApplicationStatus.choices)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    printing_on = models.DateField(_("printing since"), null=True, blank=True)
    printed_on = models.DateField(_("printed on"), null=True, blank=True)
    dispatched_on = models.DateField(_("dispatched on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True)
    reprinted_on = models.DateField(_("reprinted on"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=30, choices=RejectionReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("card application")
        verbose_name_plural = _("card applications")
        permissions = [
            ("search_records", "Can search and open card applications"),
            ("view_full_identity", "Can see full CCCD numbers and dates of birth"),
        ]
        indexes = [
            # Look-up by CCCD number (exact).
            models.Index(fields=["cccd_number"], name="application_cccd"),
            # Look-up by old ID number; most rows have none, so only those that do.
            models.Index(
                fields=["old_id_number"],
                name="application_old_id",
                condition=~models.Q(old_id_number=""),
            ),
            # Name + date of birth: the date narrows to a few hundred rows, the folded
            # name to the person; also serves "same birthday, similar name".
            models.Index(fields=["date_of_birth", "name_key"], name="application_dob_name"),
            # Fuzzy name within a province: the distinct names of the candidates (the
            # same family and given name, each possibly misspelt, see search.fuzzy) read
            # off the index alone, then each chosen name's latest applications.
            models.Index(
                fields=["province_code", "family_key", "given_key", "name_key", "lodged_on"],
                name="application_prov_names",
            ),
            # Fuzzy name within a birth year.
            models.Index(
                fields=["family_key", "given_key", "date_of_birth"], name="application_name_dob"
            ),
            # The vocabulary of given names, read by a loose index scan.
            models.Index(fields=["given_key"], name="application_given"),
        ]

    def __str__(self):
        return f"{self.application_number} {self.full_name}"

    def set_name(self, full_name: str) -> None:
        self.full_name = " ".join(full_name.split())
        self.name_key = fold(self.full_name)
        words = self.name_key.split() or [""]
        self.family_key, self.given_key = words[0], words[-1]

    def timeline_steps(self) -> list[tuple[str, object]]:
        """(status, date) for each step reached, in order."""
        steps = [(status.value, getattr(self, name)) for status, name in TIMELINE]
        steps = [(status, day) for status, day in steps if day]
        if self.rejected_on:
            steps.append((ApplicationStatus.REJECTED.value, self.rejected_on))
        if self.reprinted_on:
            steps.append((REPRINTED, self.reprinted_on))
        return steps

    def timeline(self) -> list[tuple[str, object]]:
        """(status label, date) for each step reached, for pages."""
        labels = {**dict(ApplicationStatus.choices), REPRINTED: _("Reprinted")}
        return [(labels[s], day) for s, day in self.timeline_steps()]


class SearchKind(models.TextChoices):
    CCCD = "cccd", _("CCCD number")
    OLD_ID = "old_id", _("Old ID number")
    NAME_DOB = "name_dob", _("Full name and date of birth")
    FUZZY = "fuzzy", _("Approximate name")
    # Citizens' own look-ups (/tra-cuu/, the bot API).
    SELF_SERVICE = "self_service", _("Name, date of birth and last 4 digits")
    TICKET_STATUS = "ticket_status", _("Ticket reference and phone")


class RecordAccess(models.Model):
    """Who looked at citizens' records, when, for which ticket, and what they asked.

    Written by the search service in the same request as the look-up; nobody edits it.
    A citizen's own look-up (channel `self_service`) has no user but the client's
    address and its outcome.
    """

    class Action(models.TextChoices):
        SEARCH = "search", _("Search")
        OPEN = "open", _("Open application")
        QUALITY = "quality", _("Data-quality list")
        # Records shown by a page or an export outside a search (citizens.services).
        LIST = "list", _("Records shown")

    class Channel(models.TextChoices):
        STAFF = "staff", _("Staff")
        SELF_SERVICE = "self_service", _("Self-service")

    class Outcome(models.TextChoices):
        FOUND = "found", _("Found")
        NOT_FOUND = "not_found", _("Not found")
        LIMITED = "limited", _("Refused: too many look-ups")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    channel = models.CharField(
        _("channel"), max_length=15, choices=Channel.choices, default=Channel.STAFF
    )
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    search_kind = models.CharField(
        _("search kind"), max_length=20, choices=SearchKind.choices, blank=True
    )
    query = models.JSONField(_("what was searched"), default=dict)
    ticket_reference = models.CharField(_("ticket"), max_length=12, blank=True)
    result_count = models.PositiveIntegerField(_("results"), default=0)
    application_number = models.CharField(_("application number"), max_length=20, blank=True)
    # Why, when no ticket is named (SPEC §9): written by the officer.
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("record access")
        verbose_name_plural = _("record accesses")
        ordering = ["-at", "-id"]
        indexes = [
            # The supervisors' log page: newest first, optionally per officer.
            models.Index(fields=["-at"], name="access_recent"),
            models.Index(fields=["user", "-at"], name="access_user_recent"),
            # Self-service figures per day, and the log filtered to that channel.
            models.Index(
                fields=["at"],
                name="access_self_service",
                condition=models.Q(channel="self_service"),
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def query_items(self) -> list[tuple[str, str]]:
        """What was asked, as the log page shows it: each criterion by its label, empty
        ones left out (a page that showed tickets only names no applications). Where a
        page or export showed records (`shown`) is stored in English and said in the
        reader's language when the catalogue has it (the callers mark it gettext_noop)."""
        items = []
        for key, value in self.query.items():
            if value in ("", [], None) or key == "shown_as":
                continue
            if key == "shown":
                text = self._shown_text()
            elif isinstance(value, list):
                text = ", ".join(map(str, value))
            else:
                text = str(value)
            items.append((str(QUERY_LABELS.get(key, key)), text))
        return items

    def _shown_text(self) -> str:
        template, args = (self.query.get("shown_as") or [None, None])[:2]
        if isinstance(template, str) and isinstance(args, dict):
            try:
                return gettext(template) % args
            except (KeyError, TypeError, ValueError):
                pass  # a catalogue entry that no longer fits: the stored English
        return gettext(str(self.query["shown"]))


# The criteria a look-up records in RecordAccess.query, by the names the forms use.
QUERY_LABELS = {
    "cccd_number": _("CCCD number"),
    "old_id_number": _("Old ID number"),
    "full_name": _("Full name"),
    "date_of_birth": _("Date of birth"),
    "q": _("Name (approximate)"),
    "province": _("Province"),
    "birth_year": _("Birth year"),
    "id_last4": _("Last 4 digits of the CCCD (or old ID) number"),  # selfservice's label
    "reference": _("Ticket"),
    "phone": _("Phone"),
    "shown": _("Shown on"),
    "applications": _("Applications"),
    "tickets": _("Tickets"),
    "check": _("Check"),
    "unit": _("Receiving unit"),
    "page": _("Page"),
}


class QualityReport(models.Model):
    """The data-quality checks over the whole records table, as last built (SPEC §10).

    `counts`: per check code, its total and its counts per province code and per
    receiving unit. The failing applications themselves are its findings.
    """

    built_at = models.DateTimeField(_("built at"), default=timezone.now)
    seconds = models.FloatField(_("build seconds"), default=0)
    rows = models.PositiveBigIntegerField(_("applications checked"), default=0)
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("data-quality report")
        verbose_name_plural = _("data-quality reports")
        ordering = ["-built_at", "-id"]
        permissions = [
            ("view_quality_report", "Can read the data-quality report and its lists"),
            ("run_quality_report", "Can rebuild the data-quality report"),
        ]

    def __str__(self):
        return f"{self.built_at:%Y-%m-%d %H:%M}"


class QualityFinding(models.Model):
    """One application failing one check in a report: what the check's lists page
    through, by province and receiving unit."""

    report = models.ForeignKey(QualityReport, on_delete=models.CASCADE, related_name="findings")
    code = models.CharField(max_length=30)
    application = models.ForeignKey(CardApplication, on_delete=models.CASCADE, related_name="+")
    province_code = models.CharField(max_length=3)
    receiving_unit = models.CharField(max_length=120)

    class Meta:
        indexes = [
            # A check's list, optionally within a province or a unit, in record order.
            models.Index(fields=["report", "code", "province_code", "application"],
                         name="finding_province"),
            models.Index(fields=["report", "code", "receiving_unit", "application"],
                         name="finding_unit"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.code} {self.application_id}"
