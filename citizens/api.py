"""The records part of the HTTP API: search and open card applications (officers)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from callcenter.api import require_perms

from . import services
from .forms import ApplicationSearchForm, TicketReferenceForm
from .models import CardApplication
from .provinces import province_name
from .search import LEGAL_WORKING_DAYS


class TimelineStepSerializer(serializers.Serializer):
    status = serializers.CharField()
    date = serializers.DateField()


class ApplicationSerializer(serializers.Serializer):
    """A match: the application, its timeline, and how long it has taken."""

    application_number = serializers.CharField(source="application.application_number")
    full_name = serializers.CharField(source="application.full_name")
    date_of_birth = serializers.DateField(source="application.date_of_birth")
    sex = serializers.CharField(source="application.sex")
    cccd_number = serializers.CharField(source="application.cccd_number")
    old_id_number = serializers.CharField(source="application.old_id_number")
    phone = serializers.CharField(source="application.phone")
    province_code = serializers.CharField(source="application.province_code")
    province_name = serializers.SerializerMethodField()
    receiving_unit = serializers.CharField(source="application.receiving_unit")
    lodged_on = serializers.DateField(source="application.lodged_on")
    status = serializers.CharField(source="application.status")
    rejection_reason = serializers.CharField(source="application.rejection_reason")
    timeline = serializers.SerializerMethodField()
    working_days = serializers.IntegerField()
    legal_limit_working_days = serializers.SerializerMethodField()
    overdue_working_days = serializers.IntegerField(source="overdue_days")
    score = serializers.FloatField()
    exact = serializers.BooleanField()

    def get_province_name(self, match) -> str:
        return province_name(match.application.province_code) or ""

    @extend_schema_field(TimelineStepSerializer(many=True))
    def get_timeline(self, match) -> list:
        return [
            {"status": status, "date": day} for status, day in match.application.timeline_steps()
        ]

    def get_legal_limit_working_days(self, match) -> int:
        return LEGAL_WORKING_DAYS


def _day(value) -> str | None:
    return value.isoformat() if value else None


def application_body(match) -> dict:
    """ApplicationSerializer's output, built directly: DRF's field machinery took a
    large share of a look-up's time. The serializer stays as the schema; the two are
    kept equal by tests/citizens/test_application_body.py."""
    a = match.application
    return {
        "application_number": a.application_number,
        "full_name": a.full_name,
        "date_of_birth": _day(a.date_of_birth),
        "sex": a.sex,
        "cccd_number": a.cccd_number,
        "old_id_number": a.old_id_number,
        "phone": a.phone,
        "province_code": a.province_code,
        "province_name": province_name(a.province_code) or "",
        "receiving_unit": a.receiving_unit,
        "lodged_on": _day(a.lodged_on),
        "status": a.status,
        "rejection_reason": a.rejection_reason,
        "timeline": [{"status": status, "date": _day(day)} for status, day in a.timeline_steps()],
        "working_days": match.working_days,
        "legal_limit_working_days": LEGAL_WORKING_DAYS,
        "overdue_working_days": match.overdue_days,
        "score": float(match.score),
        "exact": match.exact,
    }


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ApplicationSerializer(many=True)


SEARCH_PARAMETERS = [
    OpenApiParameter(name, str, required=False)
    for name in ("cccd_number", "old_id_number", "full_name", "q", "province", "ticket", "purpose")
] + [
    OpenApiParameter("date_of_birth", OpenApiTypes.DATE, required=False),
    OpenApiParameter("birth_year", int, required=False),
]


class ApplicationSearchView(APIView):
    """Search the records; every search is written to the access log."""

    permission_classes = [require_perms("citizens.search_records")]

    @extend_schema(
        operation_id="v1_applications_search",
        parameters=SEARCH_PARAMETERS,
        responses=SearchResultSerializer,
    )
    def get(self, request):
        form = ApplicationSearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        matches = services.application_search(
            user=request.user,
            kind=form.kind,
            criteria=form.criteria(),
            ticket_reference=form.cleaned_data["ticket"],
            purpose=form.cleaned_data["purpose"],
        )
        results = [application_body(match) for match in matches]
        body = {"kind": form.kind, "count": len(results), "next": None, "previous": None,
                "results": results}  # fmt: skip
        return Response(body)


def _form_errors(form) -> dict:
    errors = {field: list(messages) for field, messages in form.errors.items()}
    if "__all__" in errors:
        errors["non_field_errors"] = errors.pop("__all__")
    return errors


class ApplicationDetailView(APIView):
    """One application with its timeline; opening it is written to the access log."""

    permission_classes = [require_perms("citizens.search_records")]

    @extend_schema(
        parameters=[
            OpenApiParameter("ticket", str, required=False),
            OpenApiParameter("purpose", str, required=False),
        ],
        responses=ApplicationSerializer,
    )
    def get(self, request, application_number):
        application = get_object_or_404(CardApplication, application_number=application_number)
        form = TicketReferenceForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        match = services.application_open(
            user=request.user,
            application=application,
            ticket_reference=form.cleaned_data["ticket"],
            purpose=form.cleaned_data["purpose"],
        )
        return Response(application_body(match))
