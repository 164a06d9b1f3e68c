"""The statistics part of the HTTP API (SPEC §5)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from callcenter.api import require_perms
from callcenter.fields import BoundedDateField

from . import staffing, summary
from .forms import resolve_period


class PeriodSerializer(serializers.Serializer):
    """`from` and `to` (inclusive), with the dashboard's defaults and limits."""

    def get_fields(self):
        # `from` is a Python keyword: the fields cannot be class attributes.
        return {"from": BoundedDateField(required=False), "to": BoundedDateField(required=False)}

    def validate(self, data):
        first, last, error = resolve_period(data.get("from"), data.get("to"))
        if error:
            raise serializers.ValidationError({"to": [error]})
        return {"from": first, "to": last}


def _period(request) -> dict:
    serializer = PeriodSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


STATS_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, required=False),
    OpenApiParameter("to", OpenApiTypes.DATE, required=False),
]


class DailyStatsView(APIView):
    permission_classes = [require_perms("reporting.view_statistics")]

    @extend_schema(parameters=STATS_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        period = _period(request)
        rows = summary.daily(period["from"], period["to"])
        return Response({**period, "results": rows})


class AgentStatsView(APIView):
    permission_classes = [require_perms("reporting.view_statistics")]

    @extend_schema(parameters=STATS_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        period = _period(request)
        return Response({**period, **summary.per_person(period["from"], period["to"])})


class StaffingQuerySerializer(serializers.Serializer):
    date = BoundedDateField()
    service_level = serializers.FloatField(required=False, default=0.8)
    answer_seconds = serializers.IntegerField(
        required=False, default=20, min_value=1, max_value=3600
    )
    shrinkage = serializers.FloatField(required=False, default=0.3)

    def validate_service_level(self, value):
        if not 0 < value < 1:
            raise serializers.ValidationError(_("Service level: a share between 0 and 1."))
        return value

    def validate_shrinkage(self, value):
        if not 0 <= value < 1:
            raise serializers.ValidationError(
                _("Shrinkage: a share from 0 up to, not including, 1.")
            )
        return value


class StaffingView(APIView):
    """Per half-hour of the shift: forecast calls, handle time, the seats Erlang C needs
    for the target, and for a past date the seats ready and the service level they gave."""

    permission_classes = [require_perms("reporting.view_statistics")]

    @extend_schema(parameters=[StaffingQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        query = StaffingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = dict(query.validated_data)
        return Response(staffing.forecast(params.pop("date"), **params))
