"""Data-quality checks over the whole records table: "đúng, đủ, sạch, sống" (SPEC §10).

Each check finds applications whose record cannot be right: a CCCD number whose
century/year digits disagree with the date of birth, or whose sex digit with the sex;
a province code (of residence, or the number's first three digits) that is none of the
63; one CCCD number on different people; impossible dates (lodged before the age of
14, steps out of order, born in the future); required fields missing; a CCCD number of
the wrong shape. On PostgreSQL the checks are two set-based statements (one scan of
the table for the per-row checks, one grouping for shared numbers); elsewhere the same
rules run row by row in Python (`make run` on SQLite). Tests hold the two to the same
findings.
"""

import datetime
import re

from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import CardApplication, QualityFinding
from .provinces import provinces

CHECKS = {
    "cccd_birth_mismatch": _("CCCD number disagrees with the year of birth"),
    "cccd_sex_mismatch": _("CCCD number disagrees with the sex"),
    "unknown_province": _("Unknown province code"),
    "shared_cccd_number": _("One CCCD number on different people"),
    "impossible_dates": _("Impossible dates"),
    "missing_fields": _("Required fields missing"),
    "cccd_malformed": _("CCCD number of a wrong shape"),
}
MIN_AGE_YEARS = 14
# The date that the application's status says it reached (missing_fields).
STATUS_DATE = {
    "received": "lodged_on", "approved": "approved_on", "printing": "printing_on",
    "printed": "printed_on", "dispatched": "dispatched_on", "delivered": "delivered_on",
    "rejected": "rejected_on",
}  # fmt: skip
STEP_ORDER = ("lodged_on", "approved_on", "printing_on", "printed_on", "dispatched_on",
              "delivered_on")  # fmt: skip
_TWELVE_DIGITS = re.compile(r"[0-9]{12}")
FIELDS = ("id", "full_name", "name_key", "date_of_birth", "sex", "cccd_number", "province_code",
          "receiving_unit", "status", "rejection_reason", "rejected_on", *STEP_ORDER)  # fmt: skip


# --- the rules, one row at a time -----------------------------------------------------


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def row_findings(row: dict, today: datetime.date) -> list[str]:
    """The per-row checks `row` (FIELDS as a dict) fails."""
    found = []
    number, born = row["cccd_number"], row["date_of_birth"]
    well_formed = bool(_TWELVE_DIGITS.fullmatch(number))
    if well_formed:
        digit = int(number[3])
        if 1900 + 100 * (digit // 2) + int(number[4:6]) != born.year:
            found.append("cccd_birth_mismatch")
        if (digit % 2 == 1) != (row["sex"] == "F"):
            found.append("cccd_sex_mismatch")
    codes = provinces()
    if row["province_code"] not in codes or (well_formed and number[:3] not in codes):
        found.append("unknown_province")
    if _impossible_dates(row, today):
        found.append("impossible_dates")
    if _missing(row):
        found.append("missing_fields")
    if number and not well_formed:
        found.append("cccd_malformed")
    return found


def _impossible_dates(row, today) -> bool:
    born = row["date_of_birth"]
    if born > today or row["lodged_on"] < _add_years(born, MIN_AGE_YEARS):
        return True
    steps = [row[name] for name in STEP_ORDER]
    for earlier, later in zip(steps, steps[1:], strict=False):
        if earlier and later and later < earlier:
            return True
    return bool(row["rejected_on"] and row["rejected_on"] < row["lodged_on"])


def _missing(row) -> bool:
    if not all(row[name] for name in ("full_name", "cccd_number", "sex", "province_code",
                                      "receiving_unit")):  # fmt: skip
        return True
    if row[STATUS_DATE.get(row["status"], "lodged_on")] is None:
        return True
    return row["status"] == "rejected" and not row["rejection_reason"]


def python_findings(today: datetime.date):
    """(code, id, province, unit) for every finding, row by row (any database)."""
    people = {}
    for values in CardApplication.objects.values_list(*FIELDS).iterator(chunk_size=5000):
        row = dict(zip(FIELDS, values, strict=True))
        where = (row["id"], row["province_code"], row["receiving_unit"])
        for code in row_findings(row, today):
            yield (code, *where)
        if row["cccd_number"]:
            people.setdefault(row["cccd_number"], []).append(
                ((row["name_key"], row["date_of_birth"]), where)
            )
    for holders in people.values():
        if len({person for person, _ in holders}) > 1:
            for _, where in holders:
                yield ("shared_cccd_number", *where)


# --- the same rules as SQL, over the whole table at once (PostgreSQL) -----------------

_WELL_FORMED = "a.cccd_number ~ '^[0-9]{12}$'"
_DIGIT = "substr(a.cccd_number, 4, 1)::int"
_STEPS_OUT_OF_ORDER = " OR ".join(
    f"a.{later} < a.{earlier}" for earlier, later in zip(STEP_ORDER, STEP_ORDER[1:], strict=False)
)
_STATUS_DATE = " ".join(f"WHEN '{s}' THEN a.{c}" for s, c in STATUS_DATE.items())
ROW_CHECKS_SQL = f"""
INSERT INTO citizens_qualityfinding (report_id, code, application_id, province_code,
                                     receiving_unit)
SELECT %(report)s, c.code, a.id, a.province_code, a.receiving_unit
FROM citizens_cardapplication a
CROSS JOIN LATERAL (VALUES
  ('cccd_birth_mismatch', {_WELL_FORMED} AND 1900 + 100 * ({_DIGIT} / 2)
      + substr(a.cccd_number, 5, 2)::int <> extract(year FROM a.date_of_birth)),
  ('cccd_sex_mismatch', {_WELL_FORMED} AND (mod({_DIGIT}, 2) = 1) <> (a.sex = 'F')),
  ('unknown_province', NOT (a.province_code = ANY(%(codes)s))
      OR ({_WELL_FORMED} AND NOT (left(a.cccd_number, 3) = ANY(%(codes)s)))),
  ('impossible_dates', a.date_of_birth > %(today)s
      OR a.lodged_on < a.date_of_birth + make_interval(years => {MIN_AGE_YEARS})
      OR {_STEPS_OUT_OF_ORDER} OR a.rejected_on < a.lodged_on),
  ('missing_fields', a.full_name = '' OR a.cccd_number = '' OR a.sex = ''
      OR a.province_code = '' OR a.receiving_unit = ''
      OR (CASE a.status {_STATUS_DATE} ELSE a.lodged_on END) IS NULL
      OR (a.status = 'rejected' AND a.rejection_reason = '')),
  ('cccd_malformed', a.cccd_number <> '' AND NOT {_WELL_FORMED})
) AS c(code, hit)
WHERE c.hit
"""
# Numbers held more than once (an index-only pass), then those among them on people
# whose name or date of birth differ: a person's second application is no defect.
SHARED_SQL = """
WITH repeated AS (
  SELECT cccd_number FROM citizens_cardapplication
  WHERE cccd_number <> '' GROUP BY cccd_number HAVING count(*) > 1
), shared AS (
  SELECT a.cccd_number FROM citizens_cardapplication a JOIN repeated USING (cccd_number)
  GROUP BY a.cccd_number
  HAVING count(DISTINCT (a.name_key, a.date_of_birth)) > 1
)
INSERT INTO citizens_qualityfinding (report_id, code, application_id, province_code,
                                     receiving_unit)
SELECT %(report)s, 'shared_cccd_number', a.id, a.province_code, a.receiving_unit
FROM citizens_cardapplication a JOIN shared USING (cccd_number)
"""


def _sql_findings(report, today: datetime.date) -> None:
    params = {"report": report.pk, "codes": sorted(provinces()), "today": today}
    with connection.cursor() as cursor:
        # Room for the grouping in memory; this transaction only.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(ROW_CHECKS_SQL, params)
        cursor.execute(SHARED_SQL, params)


def fill(report, today: datetime.date) -> None:
    """Write the report's findings and counts (inside the caller's transaction)."""
    if connection.vendor == "postgresql":
        _sql_findings(report, today)
    else:
        QualityFinding.objects.bulk_create(
            (
                QualityFinding(
                    report=report,
                    code=code,
                    application_id=pk,
                    province_code=p,
                    receiving_unit=unit,
                )  # fmt: skip
                for code, pk, p, unit in python_findings(today)
            ),
            batch_size=2000,
        )
    report.counts = counts(report)
    report.rows = CardApplication.objects.count()


def counts(report) -> dict:
    """Per check: its total, and its counts per province and per receiving unit."""
    found = {code: {"total": 0, "provinces": {}, "units": {}} for code in CHECKS}
    findings = QualityFinding.objects.filter(report=report).order_by()
    for column, key in (("province_code", "provinces"), ("receiving_unit", "units")):
        for code, value, n in findings.values_list("code", column).annotate(n=Count("id")):
            found[code][key][value] = n
            if key == "provinces":
                found[code]["total"] += n
    return found
