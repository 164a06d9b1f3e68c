"""The bot API (SPEC §8.5): what a Zalo OA bot calls, no login, the same limits and
access log as the pages. CORS is closed unless SELF_SERVICE_CORS_ORIGINS names the
OA's web view."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from callcenter.fields import StrictCharField, StrictPhoneNumberField
from citizens import services
from citizens.forms import TICKET_REFERENCE
from citizens.models import RecordAccess, SearchKind
from tickets.selectors import ticket_for_caller

from . import limits, status, validation
from .forms import DATE_FORMATS

Outcome = RecordAccess.Outcome


class ApplicationStatusInput(serializers.Serializer):
    full_name = StrictCharField(max_length=validation.NAME_MAX_LENGTH)
    date_of_birth = serializers.DateField(
        input_formats=["%Y-%m-%d", *DATE_FORMATS], help_text="YYYY-MM-DD (or dd/mm/yyyy)"
    )
    id_last4 = StrictCharField(max_length=4, help_text="Last 4 digits of the CCCD or old ID number")

    def validate(self, data):
        errors = validation.lookup_errors(**data)
        if errors:
            raise ValidationError(errors)
        return data


class StepSerializer(serializers.Serializer):
    status = serializers.CharField()
    date = serializers.DateField()


class ApplicationStatusOutput(serializers.Serializer):
    found = serializers.BooleanField()
    status = serializers.CharField(required=False)
    status_label = serializers.CharField(required=False)
    steps = StepSerializer(many=True, required=False)
    receiving_unit = serializers.CharField(required=False)
    next_step = serializers.CharField(required=False)


class TicketStatusInput(serializers.Serializer):
    reference = serializers.RegexField(TICKET_REFERENCE, max_length=12)
    phone = StrictPhoneNumberField(region="VN")


class TicketStatusOutput(serializers.Serializer):
    found = serializers.BooleanField()
    status = serializers.CharField(required=False)
    status_label = serializers.CharField(required=False)
    updated_at = serializers.DateTimeField(required=False)
    resolution_label = serializers.CharField(required=False)


def _refuse(request, limited, *, kind, query):
    services.self_service_logged(
        client_address=limits.address(request), kind=kind, query=query, outcome=Outcome.LIMITED
    )
    refusal = Throttled(wait=limited.wait)
    # One sentence with the wait in it, not DRF's own appended to ours.
    refusal.detail = ErrorDetail(limits.message(limited), code=refusal.default_code)
    raise refusal


def _asked(request, names) -> dict:
    data = request.data if hasattr(request.data, "get") else {}
    return {name: str(data.get(name, ""))[:120] for name in names}


class PublicView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]


LIMITED = OpenApiResponse(description=str(_("Too many look-ups: try again after Retry-After")))


class ApplicationStatusView(PublicView):
    """A citizen's latest card application by full name, date of birth and the last 4
    digits of the CCCD or old ID number. Anything that does not match, or matches
    nobody, answers `{"found": false}` alone."""

    @extend_schema(
        request=ApplicationStatusInput,
        responses={200: ApplicationStatusOutput, 429: LIMITED},
        auth=[],
    )
    def post(self, request):
        names = ("full_name", "date_of_birth", "id_last4")
        kind = SearchKind.SELF_SERVICE
        try:
            limits.check_address(request)
            serializer = ApplicationStatusInput(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            limits.check_identity(
                request, limits.identity_key(data["full_name"], data["date_of_birth"])
            )
        except limits.Limited as limited:
            _refuse(request, limited, kind=kind, query=_asked(request, names))
        match = services.application_self_lookup(client_address=limits.address(request), **data)
        return Response(status.application_answer(match))


class TicketStatusView(PublicView):
    """A ticket's status by its reference and the phone it was logged for."""

    @extend_schema(
        request=TicketStatusInput, responses={200: TicketStatusOutput, 429: LIMITED}, auth=[]
    )
    def post(self, request):
        kind = SearchKind.TICKET_STATUS
        try:
            limits.check_address(request)
        except limits.Limited as limited:
            _refuse(request, limited, kind=kind, query=_asked(request, ("reference", "phone")))
        serializer = TicketStatusInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ticket = ticket_for_caller(data["reference"], data["phone"])
        services.self_service_logged(
            client_address=limits.address(request),
            kind=kind,
            query={"reference": data["reference"], "phone": str(data["phone"])},
            outcome=Outcome.FOUND if ticket else Outcome.NOT_FOUND,
        )
        return Response(TicketStatusOutput(status.ticket_answer(ticket)).data)
