"""PBX call events in the HTTP API (SPEC §5): POST /api/v1/cti/events/."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from callcenter.api import require_perms
from callcenter.fields import StrictCharField, StrictPhoneNumberField

from .. import cti, validation
from ..models import CallEvent


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
        error = validation.event_time_error(value)
        if error:
            raise serializers.ValidationError(error)
        return value


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
