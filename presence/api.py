"""The agent's own status in the HTTP API (SPEC §8.3)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from callcenter.api import require_perms
from callcenter.fields import StrictCharField

from . import selectors, services
from .models import BreakReason, Status


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.ChoiceField(choices=BreakReason.choices, allow_blank=True)
    since = serializers.DateTimeField()


class StatusInputSerializer(serializers.Serializer):
    status = StrictCharField(max_length=20, help_text="ready, break or offline")
    reason = StrictCharField(
        max_length=20, required=False, default="", allow_blank=True,
        help_text="With break: lunch, meeting, training or other",
    )  # fmt: skip

    def validate(self, data):
        errors = services.status_errors(data["status"], data["reason"])
        if errors:
            raise serializers.ValidationError(errors)
        return data


class MyStatusView(APIView):
    permission_classes = [require_perms("presence.set_own_status")]

    @extend_schema(responses=StatusSerializer)
    def get(self, request):
        return Response(StatusSerializer(selectors.status_of(request.user)).data)

    @extend_schema(request=StatusInputSerializer, responses=StatusSerializer)
    def post(self, request):
        serializer = StatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.status_set(actor=request.user, **serializer.validated_data)
        return Response(StatusSerializer(row).data)
