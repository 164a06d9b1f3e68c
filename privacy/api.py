"""`GET /api/v1/personal-data/?phone=…` or `?id_number=…` (SPEC §9, supervisors)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from callcenter.api import require_perms

from . import services
from .forms import SubjectForm

PERMISSION = "privacy.handle_subject_requests"
HELD = inline_serializer(
    "PersonalData",
    {
        name: serializers.ListField(child=serializers.DictField())
        for name in ("tickets", "calls", "callbacks", "lookups")
    },
)


def form_errors(form) -> dict:
    errors = {field: list(messages) for field, messages in form.errors.items()}
    if "__all__" in errors:
        errors["detail"] = errors.pop("__all__")
    return errors


class PersonalDataView(APIView):
    """Everything held about a phone or ID number; the request itself is logged."""

    permission_classes = [require_perms(PERMISSION)]

    @extend_schema(
        parameters=[OpenApiParameter("phone", str), OpenApiParameter("id_number", str)],
        responses=HELD,
    )
    def get(self, request):
        form = SubjectForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        held = services.subject_search(actor=request.user, subject=form.subject())
        response = Response(held)
        response["Cache-Control"] = "no-store"
        return response
