"""Reprints in the HTTP API (SPEC §5)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from callcenter.api import TaskAcceptedSerializer, require_perms
from callcenter.fields import StrictCharField
from tickets.api.serializers import TicketDetailSerializer, ticket_detail_body
from tickets.models import NOTE_MAX_LENGTH
from tickets.selectors import get_ticket_for

from . import exports, services
from .models import Reason, ReprintBatch, ReprintItem
from .selectors import batches
from .tasks import build_reprint_batch, send_sms_outbox


class BatchSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ReprintBatch.Status.choices)
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)
    item_count = serializers.IntegerField()


class ItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application_number = serializers.CharField(source="application.application_number")
    cccd_number = serializers.CharField(source="application.cccd_number")
    full_name = serializers.CharField(source="application.full_name")
    date_of_birth = serializers.DateField(source="application.date_of_birth")
    receiving_unit = serializers.CharField(source="application.receiving_unit")
    reason = serializers.ChoiceField(choices=Reason.choices)
    tickets = serializers.SerializerMethodField()
    outcome = serializers.ChoiceField(choices=ReprintItem.Outcome.choices)
    note = serializers.CharField()
    marked_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tickets(self, item) -> list:
        return [t.reference for t in item.tickets.all()]


class BatchDetailSerializer(BatchSerializer):
    items = ItemSerializer(many=True, source="items_list")


class BatchListView(generics.ListAPIView):
    permission_classes = [require_perms("reprints.view_reprintbatch")]
    serializer_class = BatchSerializer
    filter_backends = []

    def get_queryset(self):
        return batches()


class BatchDetailView(APIView):
    permission_classes = [require_perms("reprints.view_reprintbatch")]

    @extend_schema(responses=BatchDetailSerializer)
    def get(self, request, number):
        batch = get_object_or_404(batches(), number=number)
        batch.items_list = (
            batch.items.select_related("application").prefetch_related("tickets").order_by("id")
        )
        exports.record_shown(user=request.user, batch=batch, what="api")
        return Response(BatchDetailSerializer(batch, context={"request": request}).data)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BatchExportView(APIView):
    permission_classes = [require_perms("reprints.view_reprintbatch")]
    formats = {
        "csv": (exports.as_csv, "text/csv; charset=utf-8"),
        "xlsx": (exports.as_xlsx, XLSX_TYPE),
    }

    # One view serves both paths, so each is documented with both media types.
    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, XLSX_TYPE): OpenApiTypes.BINARY}
    )
    def get(self, request, number, extension):
        batch = get_object_or_404(ReprintBatch, number=number)
        build, content_type = self.formats[extension]
        exports.record_shown(user=request.user, batch=batch, what=extension)
        return exports.download(batch, build(batch), extension, content_type)


class RunView(APIView):
    """Build a batch now, through Celery (in-process when no broker is configured)."""

    permission_classes = [require_perms("reprints.run_reprint_batch")]

    @extend_schema(request=None, responses={202: TaskAcceptedSerializer})
    def post(self, request):
        result = build_reprint_batch.delay()
        return Response({"task_id": result.id}, status=status.HTTP_202_ACCEPTED)


class MarkSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[ReprintItem.Outcome.PRINTED, ReprintItem.Outcome.FAILED]
    )
    note = StrictCharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")


class MarkView(APIView):
    permission_classes = [require_perms("reprints.mark_reprintitem")]

    @extend_schema(request=MarkSerializer, responses=ItemSerializer)
    def post(self, request, pk):
        item = get_object_or_404(ReprintItem, pk=pk)
        serializer = MarkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.item_mark(actor=request.user, item=item, **serializer.validated_data)
        send_sms_outbox.delay_on_commit()
        item = ReprintItem.objects.select_related("application").get(pk=item.pk)
        return Response(ItemSerializer(item).data)


class RequestReprintSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Reason.choices)


class RequestReprintView(APIView):
    permission_classes = [require_perms("reprints.request_reprint")]

    @extend_schema(request=RequestReprintSerializer, responses=TicketDetailSerializer)
    def post(self, request, reference):
        ticket = get_ticket_for(request.user, reference, "request_reprint")
        serializer = RequestReprintSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.reprint_request(actor=request.user, ticket=ticket, **serializer.validated_data)
        ticket = get_ticket_for(request.user, reference, detail=True)
        return Response(ticket_detail_body(ticket, request.user))
