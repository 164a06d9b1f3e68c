"""The data-quality report (SPEC §10; issue 15): each check on hand-made rows with a
known defect, the set-based SQL and the row-by-row rules agreeing, the stored report,
its lists and CSV (access-logged) and the API."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from citizens import quality, services
from citizens.models import CardApplication, QualityReport, RecordAccess
from tests.citizens.factories import application
from tests.reprints.test_reprint_api import celery_eager

pytestmark = pytest.mark.django_db
BORN = datetime.date(1990, 5, 17)


def defective_rows() -> dict[str, set[int]]:
    """One clean application and, for each check, applications failing it; the ids
    each check must find."""
    application("Nguyễn Văn Sạch")  # clean
    expect = {code: set() for code in quality.CHECKS}

    def bad(code, *args, **kwargs):
        expect[code].add(application(*args, **kwargs).pk)

    # Born in 2004, number carries the 1900s century digit (0 for a man): 0010 04 …
    bad("cccd_birth_mismatch", "Trần Văn Năm", date_of_birth=datetime.date(2004, 6, 1),
        cccd_number="001004000001", lodged_on=datetime.date(2022, 3, 1))  # fmt: skip
    bad("cccd_sex_mismatch", "Lê Thị Hoa", sex="F", cccd_number="001090000002")
    bad("unknown_province", province="003")  # 003 is no province
    expect["unknown_province"].add(
        application(cccd_number="003090000003").pk  # nor as the number's first digits
    )
    # Lodged at 13, and a card printed before it was approved.
    bad("impossible_dates", date_of_birth=datetime.date(2009, 1, 10),
        cccd_number="001209000004", lodged_on=datetime.date(2022, 3, 1))  # fmt: skip
    bad("impossible_dates", approved_on=datetime.date(2022, 2, 1))
    bad("missing_fields", status="rejected", rejection_reason="")
    bad("missing_fields", status="printed", printed_on=None)
    bad("cccd_malformed", cccd_number="00109000005")
    # One number on two people; the same person's second application is no defect.
    shared = "001090000006"
    bad("shared_cccd_number", "Phạm Văn Một", cccd_number=shared)
    bad("shared_cccd_number", "Phạm Văn Hai", cccd_number=shared)
    application("Phạm Văn Ba", cccd_number="001090000007")
    application("Phạm Văn Ba", cccd_number="001090000007", lodged_on=datetime.date(2022, 9, 1))
    return expect


def found(report) -> dict[str, set[int]]:
    rows = report.findings.values_list("code", "application_id")
    result = {code: set() for code in quality.CHECKS}
    for code, pk in rows:
        result[code].add(pk)
    return result


def test_each_check_finds_exactly_its_defective_rows():
    expect = defective_rows()

    report = services.quality_report_build()

    assert found(report) == expect
    assert report.rows == CardApplication.objects.count()
    totals = {code: c["total"] for code, c in report.counts.items()}
    assert totals == {code: len(ids) for code, ids in expect.items()}


def test_the_sql_and_the_row_by_row_rules_agree():
    defective_rows()
    report = services.quality_report_build()

    rows = {(code, pk) for code, pk, _, _ in quality.python_findings(timezone.localdate())}

    assert rows == set(report.findings.values_list("code", "application_id"))


def test_counts_per_province_and_unit():
    application(cccd_number="001004000011", date_of_birth=datetime.date(2004, 1, 1),
                receiving_unit="Công an quận Ba Đình")  # fmt: skip
    application(province="079", cccd_number="079004000012", date_of_birth=datetime.date(2004, 1, 1),
                receiving_unit="Công an Quận 1")  # fmt: skip
    application(province="079", cccd_number="079004000013", date_of_birth=datetime.date(2004, 1, 1),
                receiving_unit="Công an Quận 1")  # fmt: skip

    counts = services.quality_report_build().counts["cccd_birth_mismatch"]

    assert counts["provinces"] == {"001": 1, "079": 2}
    assert counts["units"] == {"Công an quận Ba Đình": 1, "Công an Quận 1": 2}


def test_a_new_build_replaces_the_stored_report():
    defective_rows()
    first = services.quality_report_build()
    second = services.quality_report_build()

    assert list(QualityReport.objects.values_list("pk", flat=True)) == [second.pk]
    assert second.findings.count() == sum(len(v) for v in found(second).values()) > 0
    assert not first.findings.exists()


def test_api_report_for_supervisors(supervisor, officer, agent, api_client_for):
    client = api_client_for(supervisor)
    empty = client.get("/api/v1/records/quality/").json()
    assert empty["built_at"] is None and {c["count"] for c in empty["checks"]} == {0}

    defective_rows()
    with celery_eager():
        assert client.post("/api/v1/records/quality/run/").status_code == 202
    body = client.get("/api/v1/records/quality/").json()

    assert body["built_at"] is not None
    codes = {c["code"]: c["count"] for c in body["checks"]}
    assert set(codes) >= {
        "cccd_birth_mismatch", "cccd_sex_mismatch", "unknown_province", "shared_cccd_number",
        "impossible_dates", "missing_fields",
    }  # fmt: skip
    assert codes["shared_cccd_number"] == 2 and codes["impossible_dates"] == 2
    for user in (officer, agent):
        assert api_client_for(user).post("/api/v1/records/quality/run/").status_code == 403
        assert api_client_for(user).get("/api/v1/records/quality/").status_code == 403


def test_lists_page_and_csv_are_access_logged(officer, supervisor, agent, client_for):
    expect = defective_rows()
    services.quality_report_build()
    client = client_for(officer)

    page = client.get("/records/quality/")
    assert page.status_code == 200
    listed = client.get("/records/quality/shared_cccd_number/").content.decode()
    assert "Phạm Văn Một" in listed and "Phạm Văn Hai" in listed and "Phạm Văn Ba" not in listed
    in_province = client.get("/records/quality/unknown_province/?province=003").content.decode()
    assert in_province.count("<tr>") >= 2
    assert "<td>003</td>" in in_province
    assert client.get("/records/quality/unknown_province/?province=1234").status_code == 404
    assert client.get("/records/quality/nope/").status_code == 404

    response = client.get("/records/quality/shared_cccd_number/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    numbers = {r[0] for r in rows[1:]}
    expected = CardApplication.objects.filter(pk__in=expect["shared_cccd_number"])
    assert numbers == set(expected.values_list("application_number", flat=True))

    logged = RecordAccess.objects.filter(user=officer, action=RecordAccess.Action.QUALITY)
    assert logged.count() == 3  # two list pages and a CSV; refused look-ups show nothing
    assert {a.query["check"] for a in logged} == {"shared_cccd_number", "unknown_province"}
    assert client_for(supervisor).get("/records/quality/missing_fields/").status_code == 200
    assert client_for(agent).get("/records/quality/").status_code == 403


def test_before_the_first_build_the_page_shows_no_counts(supervisor, client_for):
    page = client_for(supervisor).get("/records/quality/").content.decode()

    table = page.split('id="quality-checks"')[1]
    assert ">0</td>" not in table and "—" in table
