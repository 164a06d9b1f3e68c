"""The data-quality report: its page and lists (officers and supervisors), rebuilding
it (supervisors), and its twin in the API (SPEC §10)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from callcenter import batching
from callcenter.api import TaskAcceptedSerializer, require_perms

from . import services
from .models import QualityFinding, QualityReport
from .provinces import provinces
from .quality import CHECKS
from .tasks import build_quality_report

PAGE_SIZE = 50
TOP_UNITS = 30


def latest() -> QualityReport | None:
    return QualityReport.objects.order_by("-built_at", "-id").first()


def summary(report: QualityReport | None) -> list[dict]:
    counts = report.counts if report else {}
    return [
        {"code": code, "label": str(label), "count": counts.get(code, {}).get("total", 0)}
        for code, label in CHECKS.items()
    ]


@login_required
@permission_required("citizens.view_quality_report", raise_exception=True)
def report_page(request):
    report = latest()
    context = {"report": report, "checks": summary(report)}
    return render(request, "citizens/quality.html", context)


@require_POST
@login_required
@permission_required("citizens.run_quality_report", raise_exception=True)
def report_run(request):
    build_quality_report.delay()
    messages.info(request, _("The report is being rebuilt; reload this page in a moment."))
    return redirect("citizens:quality")


def _findings(report, code: str, province: str, unit: str):
    rows = QualityFinding.objects.filter(report=report, code=code).select_related("application")
    if province:
        return rows.filter(province_code=province).order_by("application_id")
    if unit:
        return rows.filter(receiving_unit=unit).order_by("application_id")
    return rows.order_by("province_code", "application_id")


def _criteria(request) -> tuple[str, str]:
    province = request.GET.get("province", "")
    unit = request.GET.get("unit", "")[:120]
    # Any three characters: the unknown codes are what one check lists.
    if len(province) > 3:
        raise Http404(_("No province %(code)s.") % {"code": province})
    return province, unit


@login_required
@permission_required("citizens.view_quality_report", raise_exception=True)
def check_list(request, code):
    report = latest()
    if code not in CHECKS or report is None:
        raise Http404(_("No such check in the report."))
    province, unit = _criteria(request)
    page = Paginator(_findings(report, code, province, unit), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    services.quality_list_open(
        user=request.user,
        code=code,
        criteria={"province": province, "unit": unit, "page": page.number},
        count=len(page.object_list),
    )
    counts = report.counts.get(code, {})
    names = provinces()
    by_province = sorted(counts.get("provinces", {}).items(), key=lambda kv: -kv[1])
    by_unit = sorted(counts.get("units", {}).items(), key=lambda kv: -kv[1])[:TOP_UNITS]
    context = {
        "report": report, "code": code, "label": CHECKS[code], "page": page,
        "province": province, "unit": unit, "total": counts.get("total", 0),
        "by_province": [(c, names.get(c, c), n) for c, n in by_province],
        "by_unit": by_unit,
    }  # fmt: skip
    return render(request, "citizens/quality_list.html", context)


def csv_headers() -> list[str]:
    return [
        _("Application number"), _("Full name"), _("Date of birth"), _("Sex"),
        _("CCCD number"), _("Province"), _("Receiving unit"), _("Lodged on"), _("Status"),
    ]  # fmt: skip


def _csv_rows(findings):
    for f in findings.iterator(chunk_size=2000):
        a = f.application
        yield [a.application_number, a.full_name, a.date_of_birth.isoformat(), a.sex,
               a.cccd_number, a.province_code, a.receiving_unit, a.lodged_on.isoformat(),
               a.status]  # fmt: skip


@login_required
@permission_required("citizens.view_quality_report", raise_exception=True)
def check_csv(request, code):
    report = latest()
    if code not in CHECKS or report is None:
        raise Http404(_("No such check in the report."))
    province, unit = _criteria(request)
    findings = _findings(report, code, province, unit)
    content = batching.as_csv(csv_headers(), _csv_rows(findings))
    services.quality_list_open(
        user=request.user,
        code=code,
        criteria={"province": province, "unit": unit, "page": "csv"},
        count=findings.count(),
    )
    day = datetime.date.today().isoformat()
    return batching.download(content, f"quality-{code}-{day}", "csv")


# --- API ------------------------------------------------------------------------------


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):
    built_at = serializers.DateTimeField(allow_null=True)
    seconds = serializers.FloatField(allow_null=True)
    rows = serializers.IntegerField(allow_null=True)
    checks = CheckSerializer(many=True)


class ReportView(APIView):
    """The stored data-quality report (built_at null before the first build)."""

    # SPEC §10: supervisors (officers read the report on its page).
    permission_classes = [
        require_perms("citizens.view_quality_report", "citizens.run_quality_report")
    ]

    @extend_schema(operation_id="v1_records_quality", responses=ReportSerializer)
    def get(self, request):
        report = latest()
        body = {
            "built_at": report.built_at if report else None,
            "seconds": report.seconds if report else None,
            "rows": report.rows if report else None,
            "checks": summary(report),
        }
        return Response(ReportSerializer(body).data)


class RunView(APIView):
    """Rebuild the report now, through Celery."""

    permission_classes = [require_perms("citizens.run_quality_report")]

    @extend_schema(request=None, responses={202: TaskAcceptedSerializer})
    def post(self, request):
        result = build_quality_report.delay()
        return Response({"task_id": result.id}, status=status.HTTP_202_ACCEPTED)
