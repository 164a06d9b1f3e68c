"""Callbacks in the HTTP API (SPEC §8.2)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from callcenter.api import require_perms
from callcenter.fields import StrictCharField
from tickets.api.serializers import OpenTicketSerializer

from . import selectors, services
from .models import Callback, CallbackAttempt


class CallbackSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    phone = serializers.CharField()
    status = serializers.ChoiceField(choices=Callback.Status.choices)
    missed_calls = serializers.IntegerField()
    first_missed_at = serializers.DateTimeField()
    last_missed_at = serializers.DateTimeField()
    attempts = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField()
    holder = serializers.CharField(source="holder.username", default=None, allow_null=True)
    ticket = serializers.CharField(source="ticket.reference", default=None, allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    open_tickets = serializers.SerializerMethodField()

    @extend_schema_field(OpenTicketSerializer(many=True))
    def get_open_tickets(self, callback):
        tickets = getattr(callback, "open_tickets", None)
        if tickets is None:
            tickets = selectors.with_open_tickets([callback])[0].open_tickets
        return OpenTicketSerializer(tickets, many=True).data


class StatusFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Callback.Status.choices, required=False)


class CallbackListView(generics.ListAPIView):
    """Pending callbacks due now first, then those waiting for a retry, oldest first."""

    permission_classes = [require_perms("callbacks.view_callback")]
    serializer_class = CallbackSerializer
    filter_backends = []

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=Callback.Status.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = StatusFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.callback_list(query.validated_data.get("status", ""))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.with_open_tickets(page) if page is not None else None


class ClaimView(APIView):
    permission_classes = [require_perms("callbacks.work_callback")]

    @extend_schema(request=None, responses=CallbackSerializer)
    def post(self, request, pk):
        callback = get_object_or_404(Callback, pk=pk)
        callback = services.callback_claim(actor=request.user, callback=callback)
        return Response(CallbackSerializer(callback).data)


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CallbackAttempt.Outcome.choices)
    ticket = StrictCharField(
        max_length=12, required=False, default="", allow_blank=True,
        help_text="With `reached`: the reference of the ticket logged for the call",
    )  # fmt: skip


class OutcomeView(APIView):
    permission_classes = [require_perms("callbacks.work_callback")]

    @extend_schema(request=OutcomeSerializer, responses=CallbackSerializer)
    def post(self, request, pk):
        callback = get_object_or_404(Callback, pk=pk)
        serializer = OutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        callback = services.callback_outcome(
            actor=request.user,
            callback=callback,
            outcome=serializer.validated_data["outcome"],
            ticket_reference=serializer.validated_data["ticket"],
        )
        return Response(CallbackSerializer(callback).data)
