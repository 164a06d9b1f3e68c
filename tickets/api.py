"""The tickets part of the HTTP API (SPEC §5): thin views over the services."""

import datetime
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from callcenter.api import require_perms
from callcenter.fields import (
    BoundedDateField,
    StrictBooleanField,
    StrictCharField,
    StrictPhoneNumberField,
)
from callcenter.privacy import identity_visible, masked_identity
from citizens import validators
from citizens.models import CardApplication

from . import cti, selectors, services, summary
from .filters import TicketFilter
from .forms import MANUAL_RESOLUTION_CODES
from .models import (
    NOTE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Call,
    CallEvent,
    Category,
    Channel,
    Priority,
    ResolutionCode,
    Status,
    Ticket,
    TicketEvent,
    TicketNote,
)

CLOCK_SKEW = datetime.timedelta(minutes=5)
MAX_CALL_AGE = datetime.timedelta(days=30)

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
    summary = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username")
    assignee = serializers.CharField(source="assignee.username", default=None, allow_null=True)
    linked_application = serializers.CharField(
        source="linked_application.application_number", default=None, allow_null=True
    )
    resolution_code = serializers.ChoiceField(choices=ResolutionCode.choices, allow_blank=True)
    resolution_note = serializers.CharField()
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
        "summary": ticket.summary,
        "created_by": ticket.created_by.username,
        "assignee": assignee.username if assignee else None,
        "linked_application": application.application_number if application else None,
        "resolution_code": ticket.resolution_code,
        "resolution_note": ticket.resolution_note,
        "created_at": _datetime(ticket.created_at),
        "updated_at": _datetime(ticket.updated_at),
        "escalated_at": _datetime(ticket.escalated_at),
        "assigned_at": _datetime(ticket.assigned_at),
        "resolved_at": _datetime(ticket.resolved_at),
    }
    if not identity_visible(user, ticket):
        body.update(masked_identity(ticket))
    return body


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


class CallerHistorySerializer(serializers.Serializer):
    caller_phone = serializers.CharField()
    tickets = TicketSerializer(many=True)
    calls = CallSerializer(many=True)


# --- input --------------------------------------------------------------------------


def _optional_text(max_length):
    return StrictCharField(max_length=max_length, required=False, allow_blank=True, default="")


# What identifies the citizen on each channel other than the phone.
DIGITS_ID = re.compile(r"^[0-9]{5,32}$")
CONTACT_PATTERNS = {
    Channel.ZALO: (DIGITS_ID, _("Contact: a Zalo user id (digits).")),
    Channel.FACEBOOK: (DIGITS_ID, _("Contact: a Facebook page-scoped id (digits).")),
}


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

    def validate_cccd_number(self, value):
        return validators.validate_cccd_number(value) if value else value

    def validate_old_id_number(self, value):
        return validators.validate_old_id_number(value) if value else value

    def validate_date_of_birth(self, value):
        if value:
            validators.validate_date_of_birth(value)
        return value

    def validate_application_date(self, value):
        if value:
            validators.validate_application_date(value)
        return value

    def validate(self, data):
        errors = validators.identity_cross_errors(
            cccd_number=data["cccd_number"],
            date_of_birth=data["date_of_birth"],
            application_date=data["application_date"],
        )
        errors.update(self._call_time_errors(data))
        errors.update(self._channel_errors(data))
        if errors:
            raise ValidationError(errors)
        return data

    @staticmethod
    def _channel_errors(data):
        """Each channel has its own way of reaching the citizen."""
        channel, contact = data["channel"], data["contact"].strip()
        data["contact"] = contact
        if channel == Channel.PHONE:
            if not data["caller_phone"]:
                return {"caller_phone": [_("Caller phone: required for the phone channel.")]}
            if contact:
                return {"contact": [_("Contact: not used on the phone channel.")]}
            return {}
        if data["call_id"]:
            return {"call_id": [_("Call id: only for the phone channel.")]}
        if channel == Channel.WALK_IN:
            if contact:
                return {"contact": [_("Contact: not used for walk-in visits.")]}
            if not data["caller_phone"] and not data["caller_name"]:
                return {"caller_name": [_("Full name: required for a walk-in without a phone.")]}
            return {}
        if not contact:
            return {"contact": [_("Contact: required for this channel.")]}
        if channel == Channel.EMAIL:
            try:
                validate_email(contact)
            except DjangoValidationError:
                return {"contact": [_("Contact: not a valid e-mail address.")]}
            data["contact"] = contact.lower()
            return {}
        pattern, message = CONTACT_PATTERNS[channel]
        return {} if pattern.match(contact) else {"contact": [message]}

    @staticmethod
    def _call_time_errors(data):
        started, ended = data["call_started_at"], data["call_ended_at"]
        now = timezone.now()
        errors = {}
        if (started or ended) and data["channel"] != Channel.PHONE:
            key = "call_started_at" if started else "call_ended_at"
            errors[key] = [_("Call times: only for contacts on the phone channel.")]
        elif started and started > now + CLOCK_SKEW:
            errors["call_started_at"] = [_("Call start: cannot be in the future.")]
        elif started and started < now - MAX_CALL_AGE:
            errors["call_started_at"] = [_("Call start: more than 30 days ago.")]
        if ended and ended > now + CLOCK_SKEW:
            errors["call_ended_at"] = [_("Call end: cannot be in the future.")]
        elif ended and started and ended < started:
            errors["call_ended_at"] = [_("Call end: cannot be before the call start.")]
        elif ended and not started:
            errors["call_started_at"] = [_("Call start: required when the call end is given.")]
        if data["resolution_note"] and not data["resolve_now"]:
            errors["resolution_note"] = [_("Resolution note: only with resolve_now.")]
        return errors


class CallEventSerializer(serializers.Serializer):
    call_id = StrictCharField(max_length=64)
    event = serializers.ChoiceField(choices=CallEvent.Kind.choices)
    caller_number = StrictPhoneNumberField(
        region="VN", required=False, allow_null=True, default=None,
        help_text="Absent or null when the caller withheld the number",
    )  # fmt: skip
    agent_extension = StrictCharField(max_length=10, required=False, default="", allow_blank=True)
    at = serializers.DateTimeField()

    def validate_at(self, value):
        now = timezone.now()
        if value > now + CLOCK_SKEW:
            raise ValidationError(_("At: cannot be in the future."))
        if value < now - MAX_CALL_AGE:
            raise ValidationError(_("At: more than 30 days ago."))
        return value


class NoteInputSerializer(serializers.Serializer):
    text = StrictCharField(max_length=NOTE_MAX_LENGTH)


class OptionalNoteSerializer(serializers.Serializer):
    note = _optional_text(NOTE_MAX_LENGTH)


class ResolveSerializer(serializers.Serializer):
    resolution_code = serializers.ChoiceField(choices=MANUAL_RESOLUTION_CODES)
    resolution_note = _optional_text(NOTE_MAX_LENGTH)


# --- views --------------------------------------------------------------------------

IDENTITY_FIELDS = (
    "caller_name", "date_of_birth", "cccd_number", "old_id_number", "place_of_application",
    "application_date",
)  # fmt: skip


class TicketListCreateView(generics.ListCreateAPIView):
    """Staff list tickets; agents log a new one."""

    queryset = Ticket.objects.with_people()
    filterset_class = TicketFilter

    # Built once: get_permissions runs on every request.
    may_create = require_perms("tickets.add_ticket", "tickets.add_channel_ticket", any_of=True)
    may_list = require_perms("tickets.view_ticket")

    def get_permissions(self):
        return [self.may_create() if self.request.method == "POST" else self.may_list()]

    def get_serializer_class(self):
        if self.request.method == "POST":
            return TicketCreateSerializer
        return TicketSerializer

    @extend_schema(request=TicketCreateSerializer, responses={201: TicketSerializer})
    def post(self, request):
        serializer = TicketCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["channel"] == Channel.PHONE and not request.user.has_perm("tickets.add_ticket"):
            raise PermissionDenied(
                _("Phone calls are logged by agents; the PBX reports them as call events.")
            )
        pbx_call = None
        if data["call_id"]:
            pbx_call = Call.objects.filter(
                pbx_call_id=data["call_id"], agent=request.user, ticket__isnull=True
            ).first()
            if pbx_call is None:
                raise ValidationError(
                    {"call_id": [_("Call id: no call of yours with this id is waiting.")]}
                )
        ticket = services.ticket_create(
            agent=request.user,
            caller_phone=data["caller_phone"],
            contact=data["contact"],
            pbx_call=pbx_call,
            category=data["category"],
            summary=data["summary"],
            channel=data["channel"],
            identity={field: data[field] for field in IDENTITY_FIELDS},
            call_started_at=data["call_started_at"],
            call_ended_at=data["call_ended_at"],
            resolve_now=data["resolve_now"],
            resolution_note=data["resolution_note"],
        )
        return Response(ticket_body(ticket, request.user), status=status.HTTP_201_CREATED)


class TicketDetailView(APIView):
    permission_classes = [require_perms("tickets.view_ticket")]

    @extend_schema(responses=TicketDetailSerializer)
    def get(self, request, reference):
        ticket = selectors.ticket_detail(reference)
        return Response(TicketDetailSerializer(ticket, context={"request": request}).data)


class TicketActionView(APIView):
    """Base for POST /tickets/{reference}/<action>/: validate, call a service, return
    the updated ticket."""

    input_serializer = OptionalNoteSerializer

    def post(self, request, reference):
        ticket = selectors.get_ticket(reference)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform(ticket, request.user, **serializer.validated_data)
        ticket = selectors.ticket_detail(reference)
        return Response(TicketDetailSerializer(ticket, context={"request": request}).data)

    def perform(self, ticket, user, **data):
        raise NotImplementedError


class EscalateView(TicketActionView):
    permission_classes = [require_perms("tickets.escalate_ticket")]

    @extend_schema(request=OptionalNoteSerializer, responses=TicketDetailSerializer)
    def post(self, request, reference):
        return super().post(request, reference)

    def perform(self, ticket, user, note):
        services.ticket_escalate(ticket=ticket, user=user, note=note)


class ResolveView(TicketActionView):
    permission_classes = [require_perms("tickets.resolve_ticket")]
    input_serializer = ResolveSerializer

    @extend_schema(request=ResolveSerializer, responses=TicketDetailSerializer)
    def post(self, request, reference):
        return super().post(request, reference)

    def perform(self, ticket, user, resolution_code, resolution_note):
        services.ticket_resolve(
            ticket=ticket,
            user=user,
            resolution_code=resolution_code,
            resolution_note=resolution_note,
        )


class ReopenView(TicketActionView):
    permission_classes = [require_perms("tickets.reopen_ticket")]

    @extend_schema(request=OptionalNoteSerializer, responses=TicketDetailSerializer)
    def post(self, request, reference):
        return super().post(request, reference)

    def perform(self, ticket, user, note):
        services.ticket_reopen(ticket=ticket, user=user, note=note)


class NoteCreateView(APIView):
    permission_classes = [require_perms("tickets.add_ticketnote")]

    @extend_schema(request=NoteInputSerializer, responses={201: NoteSerializer})
    def post(self, request, reference):
        ticket = selectors.get_ticket(reference)
        serializer = NoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.note_add(ticket=ticket, author=request.user, **serializer.validated_data)
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class CallerHistoryView(APIView):
    permission_classes = [require_perms("tickets.view_caller_history")]

    @extend_schema(responses=CallerHistorySerializer)
    def get(self, request, phone):
        field = StrictPhoneNumberField(region="VN")
        try:
            number = field.run_validation(phone)
        except ValidationError as exc:
            raise ValidationError({"caller_phone": exc.detail}) from exc
        history = selectors.caller_history(number)
        payload = {"caller_phone": str(number), **history}
        return Response(CallerHistorySerializer(payload, context={"request": request}).data)


class QueueItemSerializer(TicketSerializer):
    age_seconds = serializers.SerializerMethodField()

    def get_age_seconds(self, ticket) -> int:
        return int((timezone.now() - (ticket.escalated_at or ticket.created_at)).total_seconds())


class QueueView(generics.ListAPIView):
    """Escalated, unclaimed tickets in the order officers should take them."""

    permission_classes = [require_perms("tickets.claim_ticket")]
    serializer_class = QueueItemSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.officer_queue()


class ClaimView(TicketActionView):
    permission_classes = [require_perms("tickets.claim_ticket")]
    input_serializer = serializers.Serializer

    @extend_schema(request=None, responses=TicketDetailSerializer)
    def post(self, request, reference):
        return super().post(request, reference)

    def perform(self, ticket, user):
        services.ticket_claim(ticket=ticket, officer=user)


class ReleaseView(TicketActionView):
    permission_classes = [require_perms("tickets.claim_ticket")]

    @extend_schema(request=OptionalNoteSerializer, responses=TicketDetailSerializer)
    def post(self, request, reference):
        return super().post(request, reference)

    def perform(self, ticket, user, note):
        services.ticket_release(ticket=ticket, officer=user, note=note)


class LinkApplicationSerializer(serializers.Serializer):
    application_number = StrictCharField(max_length=20)

    def validate_application_number(self, value):
        try:
            return CardApplication.objects.get(application_number=value.strip())
        except CardApplication.DoesNotExist:
            raise ValidationError(
                _("Application number: no application %(number)s.") % {"number": value}
            ) from None


class LinkApplicationView(TicketActionView):
    permission_classes = [require_perms("tickets.claim_ticket", "citizens.search_records")]
    input_serializer = LinkApplicationSerializer

    @extend_schema(request=LinkApplicationSerializer, responses=TicketDetailSerializer)
    def post(self, request, reference):
        return super().post(request, reference)

    def perform(self, ticket, user, application_number):
        services.ticket_link_application(
            ticket=ticket, officer=user, application=application_number
        )


class StatsRangeSerializer(serializers.Serializer):
    """`from` and `to` (inclusive), at most a year apart; by default the last 30 days."""

    def to_internal_value(self, data):
        today = timezone.localdate()
        field = BoundedDateField()
        errors, values = {}, {}
        for name, default in (("from", today - datetime.timedelta(days=29)), ("to", today)):
            raw = data.get(name)
            try:
                values[name] = field.run_validation(raw) if raw else default
            except ValidationError as exc:
                errors[name] = exc.detail
        if not errors and values["from"] > values["to"]:
            errors["to"] = [_("To: must not be before from.")]
        elif not errors and (values["to"] - values["from"]).days > 366:
            errors["to"] = [_("To: at most a year after from.")]
        if errors:
            raise ValidationError(errors)
        return values


STATS_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, required=False),
    OpenApiParameter("to", OpenApiTypes.DATE, required=False),
]


class DailyStatsView(APIView):
    permission_classes = [require_perms("tickets.view_statistics")]

    @extend_schema(parameters=STATS_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        period = StatsRangeSerializer().to_internal_value(request.query_params)
        rows = summary.daily(period["from"], period["to"])
        return Response({"from": period["from"], "to": period["to"], "results": rows})


class AgentStatsView(APIView):
    permission_classes = [require_perms("tickets.view_statistics")]

    @extend_schema(parameters=STATS_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        period = StatsRangeSerializer().to_internal_value(request.query_params)
        return Response(
            {
                "from": period["from"],
                "to": period["to"],
                **summary.per_person(period["from"], period["to"]),
            }
        )


class CallEventView(APIView):
    """The PBX reports a call's ringing, answer and hangup (SPEC §5). Accepted with
    202 whether new or a repeat; the body says which, and whether the extension is a
    known agent's."""

    permission_classes = [require_perms("tickets.report_call_events")]

    @extend_schema(request=CallEventSerializer, responses={202: OpenApiTypes.OBJECT})
    def post(self, request):
        serializer = CallEventSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = cti.call_event(**serializer.validated_data)
        call = outcome.call
        return Response(
            {
                "call_id": call.pbx_call_id,
                "event": serializer.validated_data["event"],
                "duplicate": outcome.duplicate,
                "agent": call.agent.get_username() if call.agent_id else None,
                "state": cti.state(call),
                "started_at": call.started_at,
                "answered_at": call.answered_at,
                "ended_at": call.ended_at,
            },
            status=status.HTTP_202_ACCEPTED,
        )
