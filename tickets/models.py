from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from .choices import Category, Channel, Priority, ResolutionCode, Status
from .querysets import TicketQuerySet


def _first(**match):
    return models.Case(models.When(**match, then=models.Value(0)), default=models.Value(1))


# The order officers take escalated tickets in: high priority first, then complaints,
# then the longest waiting (selectors.officer_queue, and the index that serves it).
QUEUE_ORDER = (
    _first(priority=Priority.HIGH.value),
    _first(category=Category.COMPLAINT.value),
    models.F("escalated_at"),
    models.F("id"),
)

SUMMARY_MAX_LENGTH = 4000
NOTE_MAX_LENGTH = 10000
# The caller's identity as a ticket keeps it: text fields blank, dates null when unknown.
IDENTITY_TEXT_FIELDS = ("caller_name", "cccd_number", "old_id_number", "place_of_application")
IDENTITY_DATE_FIELDS = ("date_of_birth", "application_date")
IDENTITY_FIELDS = IDENTITY_TEXT_FIELDS + IDENTITY_DATE_FIELDS


class ReferenceCounter(models.Model):
    """Last ticket number used in a month; the row lock serializes reference allocation."""

    period = models.CharField(max_length=4, primary_key=True)  # YYMM
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.period}: {self.last}"


# The instants of Ticket.step_times().
STEP_TIMES = (
    "created_at", "escalated_at", "assigned_at", "resolved_at", "claim_due_at",
    "resolve_due_at",
)  # fmt: skip


class Ticket(models.Model):
    """A citizen's case: one question or problem, possibly spanning several calls."""

    reference = models.CharField(_("reference"), max_length=12, unique=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE
    )
    # Known for phone calls; for other channels when the citizen gives it.
    caller_phone = PhoneNumberField(_("caller phone"), region="VN", db_index=True, blank=True)
    # The channel's own address of the citizen: Zalo user id, Facebook PSID, e-mail.
    contact = models.CharField(_("contact"), max_length=254, blank=True)
    caller_name = models.CharField(_("full name"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    cccd_number = models.CharField(_("CCCD number"), max_length=12, blank=True)
    old_id_number = models.CharField(_("old ID number"), max_length=12, blank=True)
    place_of_application = models.CharField(_("place of application"), max_length=200, blank=True)
    application_date = models.DateField(_("application date"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    # Calls about this case: 1 at creation, one more for each follow-up call.
    contact_count = models.PositiveIntegerField(_("contacts"), default=1)
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="tickets_created",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets_assigned",
    )
    resolution_code = models.CharField(
        _("resolution code"), max_length=30, choices=ResolutionCode.choices, blank=True
    )
    resolution_note = models.TextField(_("resolution note"), max_length=NOTE_MAX_LENGTH, blank=True)
    linked_application = models.ForeignKey(
        "citizens.CardApplication",
        verbose_name=_("linked application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The published answer the ticket was resolved with (a regulation question).
    answer = models.ForeignKey(
        "knowledge.Answer",
        verbose_name=_("answer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # The SLA clocks, fixed when the ticket is escalated (from the targets then in force)
    # and read when it is claimed and resolved, in business seconds (callcenter.calendar).
    claim_due_at = models.DateTimeField(_("claim due at"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("resolve due at"), null=True, blank=True)
    claim_business_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    resolve_business_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at"]
        permissions = [
            ("escalate_ticket", "Can escalate a ticket"),
            ("resolve_ticket", "Can resolve a ticket"),
            ("reopen_ticket", "Can reopen a ticket"),
            ("claim_ticket", "Can claim and work escalated tickets"),
            ("view_caller_history", "Can see a caller's earlier tickets and calls"),
            ("report_call_events", "Can report PBX call events"),
            ("add_channel_ticket", "Can log tickets from Zalo, Facebook, e-mail and walk-ins"),
        ]
        indexes = [
            # Caller history: a number's tickets, newest first.
            models.Index(fields=["caller_phone", "-created_at"], name="ticket_caller_recent"),
            # A caller who gives their CCCD number from another phone.
            models.Index(
                fields=["cccd_number", "-created_at"],
                name="ticket_cccd_recent",
                condition=~models.Q(cccd_number=""),
            ),
            # An agent's own recent tickets on the console.
            models.Index(fields=["created_by", "-created_at"], name="ticket_creator_recent"),
            # Status filters.
            models.Index(fields=["status", "created_at"], name="ticket_status_age"),
            # The officer queue in its order: the first page is read off the index.
            models.Index(*QUEUE_ORDER, name="ticket_queue", condition=models.Q(status="escalated")),
            # Statistics: the oldest ticket open at a day's end, and SLA deadlines per day.
            models.Index(
                fields=["created_at"],
                name="ticket_unresolved_age",
                condition=models.Q(resolved_at__isnull=True),
            ),
            models.Index(
                fields=["resolved_at", "created_at"],
                name="ticket_resolved_late",
                condition=models.Q(resolved_at__gt=models.F("created_at")),
            ),
            # Statistics per day of each step (partial: most tickets never reach it).
            models.Index(
                fields=["escalated_at"],
                name="ticket_escalated_at",
                condition=models.Q(escalated_at__isnull=False),
            ),
            models.Index(
                fields=["assigned_at"],
                name="ticket_assigned_at",
                condition=models.Q(assigned_at__isnull=False),
            ),
            models.Index(
                fields=["resolved_at"],
                name="ticket_resolved_at",
                condition=models.Q(resolved_at__isnull=False),
            ),
            models.Index(
                fields=["claim_due_at"],
                name="ticket_claim_due",
                condition=models.Q(claim_due_at__isnull=False),
            ),
            models.Index(
                fields=["resolve_due_at"],
                name="ticket_resolve_due",
                condition=models.Q(resolve_due_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("tickets:detail", args=[self.reference])

    def step_times(self) -> dict:
        """Every instant that decides on which day one of the ticket's figures counts."""
        return {name: getattr(self, name) for name in STEP_TIMES}


class Call(models.Model):
    """One inbound contact: who called, which agent took it, and when."""

    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calls",
    )
    # Blank when the caller withheld the number (PBX calls only).
    caller_phone = PhoneNumberField(_("caller phone"), region="VN", db_index=True, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
    )
    started_at = models.DateTimeField(_("started at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # Calls reported by the PBX (tickets.cti): its call id and the extension it rang.
    pbx_call_id = models.CharField(
        _("PBX call id"), max_length=64, unique=True, null=True, blank=True
    )
    extension = models.CharField(_("PBX extension"), max_length=10, blank=True)
    # Added to an existing ticket (the caller rang again), not the call that opened it.
    follow_up = models.BooleanField(_("follow-up"), default=False)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at"]
        indexes = [
            # Caller history and an agent's calls today.
            models.Index(fields=["caller_phone", "-started_at"], name="call_caller_recent"),
            models.Index(fields=["agent", "-started_at"], name="call_agent_recent"),
            # Statistics per day, and the day's follow-up calls.
            models.Index(fields=["started_at"], name="call_started_at"),
            models.Index(
                fields=["started_at"],
                name="call_follow_up_started",
                condition=models.Q(follow_up=True),
            ),
            # The console's incoming-call pop-up: an extension's unlogged PBX calls.
            models.Index(
                fields=["extension", "-started_at"],
                name="call_pbx_unlogged",
                condition=models.Q(pbx_call_id__isnull=False, ticket__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="call_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.caller_phone} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def handle_seconds(self) -> int | None:
        start = self.answered_at or self.started_at
        if self.ended_at is None:
            return None
        return int((self.ended_at - start).total_seconds())


class TicketNote(models.Model):
    """An internal note on a ticket; never shown to the citizen."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField(_("text"), max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.ticket_id}: {self.text[:40]}"


EVENT_LABELS = {
    "create": _("logged"),
    "escalate": _("escalated"),
    "claim": _("claimed"),
    "release": _("released to the queue"),
    "link": _("application linked"),
    "request_reprint": _("reprint requested"),
    "reprint_failed": _("printing failed"),
    "reprint_printed": _("card reprinted"),
    "request_correction": _("correction requested"),
    "correction_refused": _("correction refused"),
    "correction_made": _("record corrected"),
    "resolve": _("resolved"),
    "reopen": _("reopened"),
    "note": _("note added"),
    "add_call": _("the caller rang again"),
}


class TicketEvent(models.Model):
    """History: who changed what on a ticket, written in the same transaction."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.ticket_id} {self.action}"

    @property
    def action_label(self):
        return EVENT_LABELS.get(self.action, self.action)


class SlaTarget(models.Model):
    """How fast a category must be handled, in business time (callcenter.calendar).
    Categories without a row use SLA_DEFAULTS; supervisors edit them in the admin."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices, unique=True)
    claim_within_hours = models.PositiveSmallIntegerField(_("claim within (business hours)"))
    resolve_within_days = models.PositiveSmallIntegerField(_("resolve within (business days)"))

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")

    def __str__(self):
        return self.get_category_display()


# An escalated ticket is claimed within 4 business hours and resolved within 2 business
# days; a delayed card gets the reprint cycle (up to 3 days) and printing on top.
SLA_DEFAULTS = {
    Category.DELAYED_CARD: (4, 5),
    Category.REGULATION_QUESTION: (4, 2),
    Category.COMPLAINT: (4, 2),
    Category.OTHER: (4, 2),
}


class CallEvent(models.Model):
    """A PBX event as received; one per call and kind, so a repeat changes nothing."""

    class Kind(models.TextChoices):
        RINGING = "ringing", _("Ringing")
        ANSWERED = "answered", _("Answered")
        HANGUP = "hangup", _("Hung up")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    extension = models.CharField(_("PBX extension"), max_length=10, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("call event")
        verbose_name_plural = _("call events")
        constraints = [
            models.UniqueConstraint(fields=["call", "event"], name="one_event_of_a_kind_per_call")
        ]

    def __str__(self):
        return f"{self.call_id} {self.event}"
