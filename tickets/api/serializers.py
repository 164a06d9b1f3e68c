"""The tickets API's serializers: what goes out, then what comes in. Input rules
live in tickets.validation and citizens.validators, shared with the page forms."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from callcenter.fields import StrictBooleanField, StrictCharField, StrictPhoneNumberField
from callcenter.privacy import identity_visible, masked_identity
from citizens import validators

from .. import validation
from ..forms import MANUAL_RESOLUTION_CODES
from ..lifecycle import allowed_actions
from ..models import (
    NOTE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Call,
    Category,
    Channel,
    Priority,
    ResolutionCode,
    Status,
    TicketEvent,
    TicketNote,
)

# --- output -------------------------------------------------------------------------


class TicketSerializer(serializers.Serializer):
    """A ticket as the API returns it. Fields are declared rather than derived from the
    model: ModelSerializer rebuilds them on every call, a third of a create's time."""

    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    caller_phone = serializers.CharField()
    contact = serializers.CharField(help_text="Zalo user id, Facebook PSID or e-mail address")
    caller_name = serializers.CharField()
    date_of_birth = serializers.CharField(
        allow_null=True, help_text="YYYY-MM-DD, or YYYY-**-** where the role sees it masked"
    )
    cccd_number = serializers.CharField(help_text="12 digits, or 001******345 when masked")
    old_id_number = serializers.CharField()
    place_of_application = serializers.CharField()
    application_date = serializers.DateField(allow_null=True)
    category = serializers.ChoiceField(choices=Category.choices)
    priority = serializers.ChoiceField(choices=Priority.choices)
    contact_count = serializers.IntegerField(help_text="Calls about this case, 1 at creation")
    summary = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username")
    assignee = serializers.CharField(source="assignee.username", default=None, allow_null=True)
    linked_application = serializers.CharField(
        source="linked_application.application_number", default=None, allow_null=True
    )
    resolution_code = serializers.ChoiceField(choices=ResolutionCode.choices, allow_blank=True)
    resolution_note = serializers.CharField()
    answer = serializers.CharField(
        source="answer.slug", default=None, allow_null=True,
        help_text="Slug of the published answer the ticket was resolved with",
    )  # fmt: skip
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    escalated_at = serializers.DateTimeField(allow_null=True)
    assigned_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, ticket):
        """Identity numbers and the date of birth, masked (`001******345`, `1990-**-**`)
        for roles that may not see them, except for the agent who logged the ticket."""
        data = super().to_representation(ticket)
        request = self.context.get("request")
        if request is None or not identity_visible(request.user, ticket):
            data.update(masked_identity(ticket))
        return data


def _datetime(value):
    """As DRF's DateTimeField writes it: ISO 8601 in the current time zone."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def ticket_body(ticket, user) -> dict:
    """TicketSerializer's output, built directly: the hot path of ticket creation
    (DRF's field machinery is a tenth of a creation's time). Kept equal to the
    serializer by tests/tickets/test_api_tickets.py."""
    assignee, application = ticket.assignee, ticket.linked_application
    body = {
        "reference": ticket.reference,
        "status": ticket.status,
        "channel": ticket.channel,
        "caller_phone": str(ticket.caller_phone) if ticket.caller_phone is not None else None,
        "contact": ticket.contact,
        "caller_name": ticket.caller_name,
        "date_of_birth": str(ticket.date_of_birth) if ticket.date_of_birth else None,
        "cccd_number": ticket.cccd_number,
        "old_id_number": ticket.old_id_number,
        "place_of_application": ticket.place_of_application,
        "application_date": ticket.application_date.isoformat()
        if ticket.application_date
        else None,
        "category": ticket.category,
        "priority": ticket.priority,
        "contact_count": ticket.contact_count,
        "summary": ticket.summary,
        "created_by": ticket.created_by.username,
        "assignee": assignee.username if assignee else None,
        "linked_application": application.application_number if application else None,
        "resolution_code": ticket.resolution_code,
        "resolution_note": ticket.resolution_note,
        "answer": ticket.answer.slug if ticket.answer_id else None,
        "created_at": _datetime(ticket.created_at),
        "updated_at": _datetime(ticket.updated_at),
        "escalated_at": _datetime(ticket.escalated_at),
        "assigned_at": _datetime(ticket.assigned_at),
        "resolved_at": _datetime(ticket.resolved_at),
    }
    if not identity_visible(user, ticket):
        body.update(masked_identity(ticket))
    return body


def ticket_detail_body(ticket, user) -> dict:
    """TicketDetailSerializer's output, built directly like `ticket_body` (the nested
    ModelSerializers were half of the ticket API's time). The ticket comes from
    get_ticket_for(detail=True): notes, calls and events prefetched. Kept equal to the
    serializer by tests/tickets/test_api_tickets.py."""
    username = lambda person: person.username if person is not None else None  # noqa: E731
    return {
        **ticket_body(ticket, user),
        "notes": [
            {"id": n.pk, "author": n.author.username, "text": n.text,
             "created_at": _datetime(n.created_at)}
            for n in ticket.notes.all()
        ],
        "calls": [
            {"id": c.pk, "caller_phone": str(c.caller_phone), "agent": username(c.agent),
             "ticket": ticket.reference, "started_at": _datetime(c.started_at),
             "answered_at": _datetime(c.answered_at), "ended_at": _datetime(c.ended_at),
             "handle_seconds": c.handle_seconds}
            for c in ticket.calls.all()
        ],
        "history": [
            {"action": e.action, "actor": username(e.actor), "from_status": e.from_status,
             "to_status": e.to_status, "changes": e.changes, "at": _datetime(e.at)}
            for e in ticket.events.all()
        ],
        "allowed_actions": allowed_actions(ticket, user),
    }  # fmt: skip


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = TicketNote
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = fields


class CallSerializer(serializers.ModelSerializer):
    caller_phone = serializers.CharField(read_only=True)
    agent = serializers.CharField(
        source="agent.username", read_only=True, default=None, allow_null=True
    )
    ticket = serializers.CharField(
        source="ticket.reference", read_only=True, default=None, allow_null=True
    )
    handle_seconds = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Call
        fields = [
            "id", "caller_phone", "agent", "ticket", "started_at", "answered_at", "ended_at",
            "handle_seconds",
        ]  # fmt: skip
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(
        source="actor.username", read_only=True, default=None, allow_null=True
    )
    # Blank on the event that created the ticket.
    from_status = serializers.ChoiceField(choices=Status.choices, allow_blank=True, read_only=True)

    class Meta:
        model = TicketEvent
        fields = ["action", "actor", "from_status", "to_status", "changes", "at"]
        read_only_fields = fields


class TicketDetailSerializer(TicketSerializer):
    notes = NoteSerializer(many=True, read_only=True)
    calls = CallSerializer(many=True, read_only=True)
    history = EventSerializer(source="events", many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text="What the requesting user may do to the ticket now (the life cycle's word)"
    )

    def get_allowed_actions(self, ticket) -> list[str]:
        return allowed_actions(ticket, self.context["request"].user)


class CallerHistorySerializer(serializers.Serializer):
    caller_phone = serializers.CharField()
    open_tickets = TicketSerializer(
        many=True, help_text="Unresolved tickets a follow-up call can be added to"
    )
    reopenable_tickets = TicketSerializer(
        many=True, help_text="Resolved in the last 14 days: a follow-up call may reopen them"
    )
    tickets = TicketSerializer(many=True)
    calls = CallSerializer(many=True)


class OpenTicketSerializer(serializers.Serializer):
    """A ticket in brief, as a follow-up call or a callback may concern it."""

    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    created_at = serializers.DateTimeField()


class TicketCreatedSerializer(TicketSerializer):
    open_tickets = OpenTicketSerializer(
        many=True,
        help_text="The caller's other unresolved tickets of the same category "
        "(probably the same case: add calls to it rather than opening new ones)",
    )


class QueueItemSerializer(TicketSerializer):
    age_seconds = serializers.SerializerMethodField()

    def get_age_seconds(self, ticket) -> int:
        return int((timezone.now() - (ticket.escalated_at or ticket.created_at)).total_seconds())


# --- input --------------------------------------------------------------------------


def _optional_text(max_length):
    return StrictCharField(max_length=max_length, required=False, allow_blank=True, default="")


class TicketCreateSerializer(serializers.Serializer):
    caller_phone = StrictPhoneNumberField(
        region="VN", required=False, allow_null=True, default=None,
        help_text="Required for the phone channel; optional for the others",
    )  # fmt: skip
    contact = _optional_text(254)
    call_id = StrictCharField(
        max_length=64, required=False, default="",
        help_text="The PBX's call id of the call this ticket logs (phone channel)",
    )  # fmt: skip
    category = serializers.ChoiceField(choices=Category.choices)
    summary = StrictCharField(max_length=SUMMARY_MAX_LENGTH)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.PHONE)
    caller_name = _optional_text(200)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    cccd_number = _optional_text(20)
    old_id_number = _optional_text(20)
    place_of_application = _optional_text(200)
    application_date = serializers.DateField(required=False, allow_null=True, default=None)
    call_started_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    call_ended_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    resolve_now = StrictBooleanField(required=False, default=False)
    resolution_note = _optional_text(NOTE_MAX_LENGTH)
    answer = StrictCharField(
        max_length=80, required=False, allow_blank=True, default="",
        help_text="Slug of the published answer given (with resolve_now)",
    )  # fmt: skip

    def validate(self, data):
        errors = validators.identity_errors(data)
        errors.update(
            validation.call_time_errors(
                channel=data["channel"],
                started=data["call_started_at"],
                ended=data["call_ended_at"],
            )
        )
        errors.update(validation.contact_errors(data))
        if data["resolution_note"] and not data["resolve_now"]:
            errors["resolution_note"] = [_("Resolution note: only with resolve_now.")]
        if data["answer"] and not data["resolve_now"]:
            errors["answer"] = [_("Answer: only when resolving at first contact.")]
        if errors:
            raise ValidationError(errors)
        return data


class NoteInputSerializer(serializers.Serializer):
    text = StrictCharField(max_length=NOTE_MAX_LENGTH)


class OptionalNoteSerializer(serializers.Serializer):
    note = _optional_text(NOTE_MAX_LENGTH)


class ResolveSerializer(serializers.Serializer):
    resolution_code = serializers.ChoiceField(choices=MANUAL_RESOLUTION_CODES)
    resolution_note = _optional_text(NOTE_MAX_LENGTH)
    answer = StrictCharField(
        max_length=80, required=False, allow_blank=True, default="",
        help_text="Slug of the published answer given",
    )  # fmt: skip


class FollowUpSerializer(serializers.Serializer):
    call_started_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    call_ended_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    pbx_call_id = StrictCharField(
        max_length=64, required=False, default="",
        help_text="The PBX's call id of this call, when the PBX reported it",
    )  # fmt: skip
    note = _optional_text(NOTE_MAX_LENGTH)
    reopen = StrictBooleanField(
        required=False, default=False,
        help_text="Reopen the ticket if it is resolved (within 14 days)",
    )  # fmt: skip

    def validate(self, data):
        errors = validation.call_time_errors(
            channel=Channel.PHONE, started=data["call_started_at"], ended=data["call_ended_at"]
        )
        if errors:
            raise ValidationError(errors)
        return data


class LinkApplicationSerializer(serializers.Serializer):
    application_number = StrictCharField(max_length=20)
