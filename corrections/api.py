"""Correction requests and lists in the HTTP API (SPEC §10)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from callcenter.api import TaskAcceptedSerializer, require_perms
from callcenter.fields import StrictCharField
from citizens.validators import record_value_errors
from reprints.tasks import send_sms_outbox
from tickets.models import NOTE_MAX_LENGTH
from tickets.selectors import get_ticket_for

from . import exports, selectors, services
from .models import CorrectionList, CorrectionRequest, Field
from .tasks import build_correction_lists


class CorrectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application_number = serializers.CharField(source="application.application_number")
    field = serializers.ChoiceField(choices=Field.choices)
    recorded_value = serializers.CharField()
    correct_value = serializers.CharField()
    evidence = serializers.CharField()
    status = serializers.ChoiceField(choices=CorrectionRequest.Status.choices)
    list_number = serializers.IntegerField(source="correction_list.number", allow_null=True)
    tickets = serializers.SerializerMethodField()
    requested_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answer_note = serializers.CharField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tickets(self, request) -> list:
        return sorted(t.reference for t in request.tickets.all())


class NewCorrectionSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=Field.choices)
    correct_value = StrictCharField(max_length=200, trim_whitespace=False)
    evidence = StrictCharField(max_length=4000)

    def validate(self, data):
        errors = record_value_errors(data, field=data["field"], key="correct_value")
        if errors:
            raise serializers.ValidationError(errors)
        return data


def _detail(request_id: int):
    return selectors.requests().get(pk=request_id)


class TicketCorrectionView(APIView):
    """File a correction of the ticket's linked application (the officer holding it)."""

    permission_classes = [require_perms("corrections.add_correctionrequest")]

    @extend_schema(request=NewCorrectionSerializer, responses={201: CorrectionSerializer})
    def post(self, request, reference):
        ticket = get_ticket_for(request.user, reference, "request_correction")
        serializer = NewCorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        filed = services.correction_request(
            actor=request.user, ticket=ticket, **serializer.validated_data
        )
        body = CorrectionSerializer(_detail(filed.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)


class CorrectionListView(generics.ListAPIView):
    permission_classes = [require_perms("corrections.view_correctionrequest")]
    serializer_class = CorrectionSerializer
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=CorrectionRequest.Status.values, required=False)
        ]
    )
    def get(self, request, *args, **kwargs):
        wanted = request.query_params.get("status", "")
        if wanted and wanted not in CorrectionRequest.Status.values:
            message = _("Status: “%(value)s” is not one of %(choices)s.") % {
                "value": wanted,
                "choices": ", ".join(CorrectionRequest.Status.values),
            }
            raise serializers.ValidationError({"status": [message]})
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.requests(self.request.query_params.get("status", ""))


class AnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[CorrectionRequest.Status.CORRECTED, CorrectionRequest.Status.REFUSED]
    )
    note = StrictCharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")


class AnswerView(APIView):
    """The local police's answer to a sent request (a supervisor records it)."""

    permission_classes = [require_perms("corrections.answer_correctionrequest")]

    @extend_schema(request=AnswerSerializer, responses=CorrectionSerializer)
    def post(self, request, pk):
        filed = get_object_or_404(CorrectionRequest, pk=pk)
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.correction_answer(actor=request.user, request=filed, **serializer.validated_data)
        send_sms_outbox.delay_on_commit()
        return Response(CorrectionSerializer(_detail(filed.pk)).data)


class ListSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    receiving_unit = serializers.CharField()
    created_at = serializers.DateTimeField()
    done_at = serializers.DateTimeField(allow_null=True)
    request_count = serializers.IntegerField()
    unanswered = serializers.IntegerField()


class ListsView(generics.ListAPIView):
    permission_classes = [require_perms("corrections.view_correctionlist")]
    serializer_class = ListSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.lists()


class ListDetailSerializer(ListSerializer):
    requests = CorrectionSerializer(many=True, source="requests_list")


class ListDetailView(APIView):
    permission_classes = [require_perms("corrections.view_correctionlist")]

    @extend_schema(responses=ListDetailSerializer)
    def get(self, request, number):
        correction_list = get_object_or_404(selectors.lists(), number=number)
        correction_list.requests_list = selectors.requests().filter(correction_list=correction_list)
        return Response(ListDetailSerializer(correction_list).data)


class ListExportView(APIView):
    permission_classes = [require_perms("corrections.view_correctionlist")]

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, exports.batching.XLSX_TYPE): OpenApiTypes.BINARY,
        }
    )
    def get(self, request, number, extension):
        correction_list = get_object_or_404(CorrectionList, number=number)
        return exports.download(correction_list, extension)


class RunView(APIView):
    """Build the correction lists now, through Celery."""

    permission_classes = [require_perms("corrections.run_correction_lists")]

    @extend_schema(request=None, responses={202: TaskAcceptedSerializer})
    def post(self, request):
        result = build_correction_lists.delay()
        return Response({"task_id": result.id}, status=status.HTTP_202_ACCEPTED)
