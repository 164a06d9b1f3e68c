"""The tickets part of the HTTP API (SPEC §5): thin views over the services."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from callcenter import idempotency
from callcenter.api import require_perms
from callcenter.fields import StrictPhoneNumberField

from .. import cti, selectors, services
from ..filters import TicketFilter
from ..models import IDENTITY_FIELDS, Channel, Ticket
from ..selectors import get_ticket_for
from ..work import identity_shown
from .serializers import (
    CallerHistorySerializer,
    FollowUpSerializer,
    LinkApplicationSerializer,
    NoteInputSerializer,
    NoteSerializer,
    OpenTicketSerializer,
    OptionalNoteSerializer,
    QueueItemSerializer,
    ResolveSerializer,
    TicketCreatedSerializer,
    TicketCreateSerializer,
    TicketDetailSerializer,
    TicketSerializer,
    ticket_body,
    ticket_detail_body,
)

CREATE_SCOPE = "tickets.create"
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Any 8–100 letters, digits or - _ . : (a UUID): a retried create with the "
    "same key returns the ticket the first one created instead of a second ticket.",
)


class TicketListCreateView(generics.ListCreateAPIView):
    """Staff list tickets; agents log a new one."""

    queryset = Ticket.objects.with_people()
    filterset_class = TicketFilter

    # Built once: get_permissions runs on every request.
    may_create = require_perms("tickets.add_ticket", "tickets.add_channel_ticket", any_of=True)
    may_list = require_perms("tickets.view_ticket")

    def get_permissions(self):
        return [self.may_create() if self.request.method == "POST" else self.may_list()]

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        shown = response.data["results"]
        identity_shown(user=request.user, what=gettext_noop("ticket list (API)"), tickets=shown)
        return response

    def get_serializer_class(self):
        if self.request.method == "POST":
            return TicketCreateSerializer
        return TicketSerializer

    @extend_schema(
        request=TicketCreateSerializer,
        responses={201: TicketCreatedSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request):
        key = idempotency.check(request.headers.get("Idempotency-Key"))
        if not key:
            return self._create(request, key)
        with transaction.atomic():
            return self._create(request, key)

    def _create(self, request, key):
        serializer = TicketCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["channel"] == Channel.PHONE and not request.user.has_perm("tickets.add_ticket"):
            raise PermissionDenied(
                _("Phone calls are logged by agents; the PBX reports them as call events.")
            )
        if data["resolve_now"] and not request.user.has_perm("tickets.resolve_ticket"):
            raise PermissionDenied(_("Only agents resolve a ticket at first contact."))
        first = idempotency.claim(actor=request.user, scope=CREATE_SCOPE, key=key)
        if first:
            return self._replay(request, first)
        pbx_call = cti.call_to_log(request.user, pbx_call_id=data["call_id"])
        if data["call_id"] and pbx_call is None:
            raise ValidationError(
                {"call_id": [_("Call id: no call of yours with this id is waiting.")]}
            )
        ticket = services.ticket_create(
            actor=request.user,
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
            answer=data["answer"],
        )
        idempotency.fulfil(actor=request.user, scope=CREATE_SCOPE, key=key, result=ticket.reference)
        return Response(_created_body(ticket, request.user), status=status.HTTP_201_CREATED)

    def _replay(self, request, reference):
        """The answer the first request with this Idempotency-Key got."""
        ticket = Ticket.objects.with_people().get(reference=reference)
        return Response(
            _created_body(ticket, request.user),
            status=status.HTTP_201_CREATED,
            headers={"Idempotent-Replayed": "true"},
        )


def _created_body(ticket, user) -> dict:
    """A new ticket as the API answers its creation: the ticket, and the caller's other
    unresolved tickets of its category (probably the same case)."""
    duplicates = selectors.duplicates(
        phone=ticket.caller_phone or None,
        cccd_number=ticket.cccd_number,
        category=ticket.category,
        exclude=ticket,
    )
    return {
        **ticket_body(ticket, user),
        "open_tickets": OpenTicketSerializer(duplicates, many=True).data,
    }


class TicketDetailView(APIView):
    permission_classes = [require_perms("tickets.view_ticket")]

    @extend_schema(responses=TicketDetailSerializer)
    def get(self, request, reference):
        ticket = get_ticket_for(request.user, reference, detail=True)
        identity_shown(user=request.user, what=gettext_noop("ticket (API)"), tickets=[ticket])
        return Response(ticket_detail_body(ticket, request.user))


class TicketActionView(APIView):
    """POST /tickets/{reference}/<action>/: validate, call the action's service with the
    actor, return the updated ticket. A subclass names the life-cycle action, its
    permission, input and service."""

    action: str
    input_serializer = OptionalNoteSerializer
    service = None

    def post(self, request, reference):
        ticket = get_ticket_for(request.user, reference, self.action)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.service(actor=request.user, ticket=ticket, **serializer.validated_data)
        ticket = get_ticket_for(request.user, reference, detail=True)
        return Response(ticket_detail_body(ticket, request.user))


def _action_schema(request):
    return extend_schema_view(post=extend_schema(request=request, responses=TicketDetailSerializer))


@_action_schema(OptionalNoteSerializer)
class EscalateView(TicketActionView):
    action, service = "escalate", staticmethod(services.ticket_escalate)
    permission_classes = [require_perms("tickets.escalate_ticket")]


@_action_schema(ResolveSerializer)
class ResolveView(TicketActionView):
    action, service = "resolve", staticmethod(services.ticket_resolve)
    permission_classes = [require_perms("tickets.resolve_ticket")]
    input_serializer = ResolveSerializer


@_action_schema(OptionalNoteSerializer)
class ReopenView(TicketActionView):
    action, service = "reopen", staticmethod(services.ticket_reopen)
    permission_classes = [require_perms("tickets.reopen_ticket")]


@_action_schema(None)
class ClaimView(TicketActionView):
    action, service = "claim", staticmethod(services.ticket_claim)
    permission_classes = [require_perms("tickets.claim_ticket")]
    input_serializer = serializers.Serializer


@_action_schema(OptionalNoteSerializer)
class ReleaseView(TicketActionView):
    action, service = "release", staticmethod(services.ticket_release)
    permission_classes = [require_perms("tickets.claim_ticket")]


@_action_schema(LinkApplicationSerializer)
class LinkApplicationView(TicketActionView):
    action, service = "link", staticmethod(services.ticket_link_application)
    permission_classes = [require_perms("tickets.claim_ticket", "citizens.search_records")]
    input_serializer = LinkApplicationSerializer


class FollowUpView(APIView):
    """The caller rang again: the call joins the ticket (SPEC §8.1)."""

    permission_classes = [require_perms("tickets.add_ticket")]

    @extend_schema(request=FollowUpSerializer, responses={201: TicketDetailSerializer})
    def post(self, request, reference):
        ticket = get_ticket_for(request.user, reference, "add_call")
        serializer = FollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        pbx_call = cti.call_to_log(request.user, pbx_call_id=data["pbx_call_id"])
        if data["pbx_call_id"] and pbx_call is None:
            raise ValidationError(
                {"pbx_call_id": [_("PBX call id: no call of yours with this id.")]}
            )
        services.ticket_add_call(
            actor=request.user,
            ticket=ticket,
            call_started_at=data["call_started_at"],
            call_ended_at=data["call_ended_at"],
            pbx_call=pbx_call,
            note=data["note"],
            reopen=data["reopen"],
        )
        ticket = get_ticket_for(request.user, reference, detail=True)
        return Response(ticket_detail_body(ticket, request.user), status=status.HTTP_201_CREATED)


class NoteCreateView(APIView):
    permission_classes = [require_perms("tickets.add_ticketnote")]

    @extend_schema(request=NoteInputSerializer, responses={201: NoteSerializer})
    def post(self, request, reference):
        ticket = get_ticket_for(request.user, reference, "note")
        serializer = NoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.note_add(actor=request.user, ticket=ticket, **serializer.validated_data)
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
        payload = {"caller_phone": str(number), **selectors.caller_file(number)}
        return Response(CallerHistorySerializer(payload, context={"request": request}).data)


class QueueView(generics.ListAPIView):
    """Escalated, unclaimed tickets in the order officers should take them."""

    permission_classes = [require_perms("tickets.claim_ticket")]
    serializer_class = QueueItemSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.officer_queue()
