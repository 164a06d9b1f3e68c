"""Simulated card-application records: realistic, reproducible, fast.

Names follow the real frequencies of Vietnamese family names; middle names depend on
sex and birth cohort (Văn/Thị for the old, more varied for the young); given names
are drawn from a skewed list, so exact namesakes are common, as in life. CCCD numbers
are structurally valid (province, sex/century digit, birth year) and unique; older
citizens often also have a 9-digit CMND. Most applications were delivered; a few per
cent are stuck well past the legal 7 working days; some were rejected.

Most were lodged in the 2021–22 campaign, the rest since (people turning 14, renewals).
Receiving units are real, from scripts/place_names.py (vietnam-provinces): a
province's PC06 or a district's police before the reform of 1 July 2025, a commune's
police after it.

The records are not clean, as the real ones are not ("đúng, đủ, sạch, sống"): DEFECTS
gives the share of each defect seeded, which the data-quality report finds
(citizens.quality).

On PostgreSQL rows are streamed with COPY by several processes at once; elsewhere
they go through bulk_create.
"""

import bisect
import datetime
import random
from dataclasses import dataclass

from .provinces import provinces, receiving_units
from .text import fold

FAMILY_NAMES = {
    "Nguyễn": 38.0, "Trần": 11.0, "Lê": 9.5, "Phạm": 7.0, "Hoàng": 3.0, "Huỳnh": 2.0,
    "Phan": 4.5, "Vũ": 2.5, "Võ": 1.5, "Đặng": 2.1, "Bùi": 2.0, "Đỗ": 1.4, "Hồ": 1.3,
    "Ngô": 1.3, "Dương": 1.0, "Lý": 0.5, "Đào": 0.8, "Đoàn": 0.7, "Trịnh": 0.6,
    "Trương": 0.6, "Lâm": 0.5, "Mai": 0.5, "Cao": 0.5, "Tô": 0.3, "Hà": 0.5, "Lưu": 0.3,
    "Tạ": 0.3, "Châu": 0.2, "Vương": 0.3, "Lương": 0.4, "Kiều": 0.2, "Đinh": 0.6,
}  # fmt: skip
MIDDLE_NAMES = {
    ("M", "old"): {"Văn": 70, "Hữu": 6, "Đức": 6, "Công": 5, "Quang": 4, "Minh": 4,
                   "Xuân": 3, "Ngọc": 2},
    ("F", "old"): {"Thị": 85, "Ngọc": 4, "Thanh": 3, "Kim": 3, "Bích": 2, "Hồng": 3},
    ("M", "young"): {"Văn": 20, "Minh": 14, "Đức": 10, "Quang": 8, "Gia": 7, "Hoàng": 6, "Anh": 6,
                     "Thành": 6, "Tuấn": 5, "Hải": 5, "Nhật": 4, "Bảo": 5, "Trọng": 4},
    ("F", "young"): {"Thị": 25, "Ngọc": 12, "Thu": 8, "Thanh": 8, "Phương": 7, "Bảo": 6,
                     "Khánh": 6, "Minh": 6, "Hồng": 5, "Thùy": 6, "Mai": 5, "Hà": 6},
}  # fmt: skip
GIVEN_NAMES = {
    "M": ["An", "Anh", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Hải", "Hiếu", "Hoàng",
          "Hùng", "Huy", "Khang", "Khoa", "Long", "Minh", "Nam", "Phong", "Phúc", "Quân",
          "Quang", "Sơn", "Tài", "Thắng", "Thành", "Trung", "Tuấn", "Tùng", "Việt", "Vinh",
          "Hưng", "Lâm", "Lộc", "Nghĩa", "Thịnh", "Toàn", "Trí", "Vũ", "Đông"],
    "F": ["An", "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương",
          "Huyền", "Lan", "Linh", "Loan", "Mai", "My", "Ngân", "Ngọc", "Nhung", "Oanh",
          "Phương", "Quyên", "Tâm", "Thảo", "Thu", "Thủy", "Trang", "Trinh", "Vân", "Yến",
          "Nga", "Nhi", "Hồng", "Lụa", "Tuyết", "Xuân", "Diệp", "Châu", "Duyên"],
}  # fmt: skip
STATUS_MIX = {
    "delivered": 86.0, "dispatched": 4.5, "printed": 1.5, "printing": 1.8, "approved": 1.6,
    "received": 1.6, "rejected": 3.0,
}  # fmt: skip
REJECTION_REASONS = {
    "fingerprint_unreadable": 45, "data_mismatch": 35, "wrong_number_structure": 12,
    "photo_rejected": 8,
}  # fmt: skip
# Shares of seeded defects (citizens.quality finds each): of those born in 2000 or later,
# a number carrying the 1900s century digit (born 2004, numbered 0…04…); a sex digit
# of the other sex; a number already given to the person generated just before; an
# approval dated before the lodging; of rejections, no reason recorded; a residence
# province code that is none of the 63.
DEFECTS = {
    "century_digit": 0.003, "sex_digit": 0.0005, "shared_number": 0.0002,
    "approved_before_lodged": 0.0005, "rejection_without_reason": 0.02,
    "unknown_province": 0.0002,
}  # fmt: skip
UNKNOWN_PROVINCES = ("003", "005", "007", "009", "013")
# Applications lodged after the 2021–22 campaign, and the reform moving collection to
# the communes' police.
LATER_SHARE = 0.12
REFORM = datetime.date(2025, 7, 1).toordinal()
PROVINCE_UNIT_SHARE = 0.2  # lodged at the province's PC06 rather than locally
MOBILE = ["90", "91", "93", "94", "96", "97", "98", "86", "88", "89", "32", "33", "34",
          "35", "36", "37", "38", "39", "70", "76", "77", "78", "79", "81", "82", "83", "84",
          "85", "56", "58", "59"]  # fmt: skip

COLUMNS = [
    "application_number", "full_name", "name_key", "family_key", "given_key", "date_of_birth",
    "sex", "cccd_number",
    "old_id_number", "phone", "province_code", "receiving_unit", "lodged_on", "status",
    "approved_on", "printing_on", "printed_on", "dispatched_on", "delivered_on",
    "rejected_on", "rejection_reason",
]  # fmt: skip

LODGED_FROM = datetime.date(2021, 1, 4)
LODGED_DAYS = (datetime.date(2022, 12, 30) - LODGED_FROM).days
LATER_FROM = datetime.date(2023, 1, 3).toordinal()
LATER_DAYS = datetime.date(2026, 6, 30).toordinal() - LATER_FROM


class _Choice:
    """Weighted choice by bisecting a cumulative table: several times faster than
    random.choices for one draw."""

    def __init__(self, weights: dict):
        self.items = list(weights)
        self.cumulative = []
        total = 0.0
        for weight in weights.values():
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng):
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]


def _zipf(names, s=0.5):
    """Skewed weights: a few given names are very common, so namesakes abound."""
    return {name: 1 / (rank + 1) ** s for rank, name in enumerate(names)}


@dataclass
class _Tables:
    family: _Choice
    middle: dict
    given: dict
    province: _Choice
    units: dict
    status: _Choice
    reason: _Choice


def _tables(rng: random.Random) -> _Tables:
    codes = sorted(provinces())
    # Big cities are bigger: Hà Nội and TP HCM get several times the share.
    weights = {c: 8.0 if c in ("001", "079") else rng.uniform(0.5, 2.0) for c in codes}
    given = {}
    for sex, names in GIVEN_NAMES.items():
        shuffled = names[:]
        rng.shuffle(shuffled)
        given[sex] = _Choice(_zipf(shuffled))
    return _Tables(
        family=_Choice(FAMILY_NAMES),
        middle={key: _Choice(w) for key, w in MIDDLE_NAMES.items()},
        given=given,
        province=_Choice(weights),
        units=receiving_units(),
        status=_Choice(STATUS_MIX),
        reason=_Choice(REJECTION_REASONS),
    )


# Step gaps in days, and the step at which each stuck status stops.
STEP_GAPS = (("approved_on", 1, 4), ("printing_on", 1, 3), ("printed_on", 1, 3),
             ("dispatched_on", 1, 5), ("delivered_on", 2, 25))  # fmt: skip
LAST_STEP = {"approved": 0, "printing": 1, "printed": 2, "dispatched": 3, "delivered": 4}
BIRTH_ORDINAL = datetime.date(1936, 1, 1).toordinal()
LODGED_ORDINAL = LODGED_FROM.toordinal()


def _steps(rng, lodged: int, status: str) -> list:
    """Ordinal dates of approved…delivered (None where not reached) and rejected."""
    dates = [None] * 6
    last = LAST_STEP.get(status, -1)
    day = lodged
    for i in range(last + 1):
        _, low, high = STEP_GAPS[i]
        day += low + int(rng.random() * (high - low + 1))
        dates[i] = day
    if status == "rejected":
        dates[5] = lodged + 2 + int(rng.random() * 19)
    return dates


MAX_PARTS = 16


def existing_prefix_counts() -> dict:
    """CCCD numbers on record per first six digits (province, sex/century, year)."""
    from django.db.models import Count
    from django.db.models.functions import Left

    from .models import CardApplication

    rows = CardApplication.objects.annotate(prefix=Left("cccd_number", 6)).values("prefix")
    return {r["prefix"]: r["n"] for r in rows.annotate(n=Count("id")).order_by()}


class RecordGenerator:
    """Yields rows (tuples in COLUMNS order, dates as ordinals) for application numbers
    start…start+count.

    Generators running side by side get distinct `part`s of `parts`, which keeps their
    CCCD serials apart.
    """

    def __init__(
        self, *, seed: int, start: int, part: int = 0, parts: int = 1, existing: dict | None = None
    ):
        self.rng = random.Random(f"{seed}:{start}")
        self.tables = _tables(random.Random(seed))
        self.start = start
        self.part, self.parts = part, parts
        self.folded = {}
        self.serials = {}
        self.last_number = ""
        # How many numbers each prefix already has: this run's serials start above
        # every serial an earlier run (of at most MAX_PARTS generators) can have used.
        self.base = {prefix: count * MAX_PARTS for prefix, count in (existing or {}).items()}

    def _serial(self, bucket) -> int:
        # The n-th number of a (province, sex/century, year) bucket, spread over six
        # digits by a bijection mod 10**6, so CCCD numbers never repeat.
        n = self.serials.get(bucket, 0)
        self.serials[bucket] = n + 1
        index = self.base.get(bucket, 0) + n * self.parts + self.part
        return (index * 7919 + 104729) % 1_000_000

    def _fold(self, text):
        key = self.folded.get(text)
        if key is None:
            key = self.folded[text] = fold(text)
        return key

    def _unit(self, province: str, lodged: int) -> str:
        random_ = self.rng.random
        if random_() < PROVINCE_UNIT_SHARE:
            units = self.tables.units[(province, "province")]
        else:
            level = "commune" if lodged >= REFORM else "district"
            units = self.tables.units[(province, level)]
        return units[int(random_() * len(units))]

    def _lodged(self) -> int:
        random_ = self.rng.random
        if random_() < LATER_SHARE:
            return LATER_FROM + int(random_() * LATER_DAYS)
        return LODGED_ORDINAL + int(random_() * LODGED_DAYS)

    def _cccd(self, province: str, year: int, sex: str) -> str:
        """A number for the person; DEFECTS' share of them wrong or shared."""
        random_ = self.rng.random
        century = (year - 1900) // 100
        if century >= 1 and random_() < DEFECTS["century_digit"]:
            century = 0
        female = (sex == "F") != (random_() < DEFECTS["sex_digit"])
        if self.last_number and random_() < DEFECTS["shared_number"]:
            return self.last_number
        prefix = f"{province}{century * 2 + female}{year % 100:02d}"
        self.last_number = f"{prefix}{self._serial(prefix):06d}"
        return self.last_number

    def _defective(self, row: list) -> list:
        """DEFECTS' dates, reasons and province codes (row in COLUMNS order)."""
        random_ = self.rng.random
        if row[APPROVED] is not None and random_() < DEFECTS["approved_before_lodged"]:
            row[APPROVED] = row[LODGED] - 1 - int(random_() * 20)
        if row[REASON] and random_() < DEFECTS["rejection_without_reason"]:
            row[REASON] = ""
        if random_() < DEFECTS["unknown_province"]:
            row[PROVINCE] = UNKNOWN_PROVINCES[int(random_() * len(UNKNOWN_PROVINCES))]
        return row

    def rows(self, count: int):
        rng, t, random_ = self.rng, self.tables, self.rng.random
        for seq in range(self.start, self.start + count):
            sex = "F" if random_() < 0.51 else "M"
            # Applicants were 14 or older in 2021–22; working ages dominate.
            born = BIRTH_ORDINAL + int(rng.triangular(0, 72 * 365.25, 52 * 365.25))
            year = datetime.date.fromordinal(born).year
            cohort = "old" if year < 1985 else "young"
            family, given = t.family(rng), t.given[sex](rng)
            middle = t.middle[(sex, cohort)](rng)
            if cohort == "young" and random_() < 0.08:
                middle = middle + " " + t.middle[(sex, cohort)](rng)
            province = t.province(rng)
            lodged = self._lodged()
            status = t.status(rng)
            row = [
                f"{datetime.date.fromordinal(lodged).year}{province}{seq:09d}",
                f"{family} {middle} {given}",
                f"{self._fold(family)} {self._fold(middle)} {self._fold(given)}",
                self._fold(family), self._fold(given),
                born, sex, self._cccd(province, year, sex),
                f"{(seq * 48271) % 10**9:09d}" if year < 1990 and random_() < 0.35 else "",
                f"0{MOBILE[int(random_() * len(MOBILE))]}{int(random_() * 10**7):07d}"
                if random_() < 0.6 else "",
                province, self._unit(province, lodged), lodged, status,
                *_steps(rng, lodged, status),
                t.reason(rng) if status == "rejected" else "",
            ]  # fmt: skip
            yield tuple(self._defective(row))


APPROVED, LODGED, REASON, PROVINCE = (
    COLUMNS.index(c) for c in ("approved_on", "lodged_on", "rejection_reason", "province_code")
)
DATE_COLUMNS = [i for i, c in enumerate(COLUMNS) if c in (
    "date_of_birth", "lodged_on", "approved_on", "printing_on", "printed_on",
    "dispatched_on", "delivered_on", "rejected_on")]  # fmt: skip


class _IsoDates(dict):
    """Ordinal → 'YYYY-MM-DD', remembered: far fewer distinct dates than rows."""

    def __missing__(self, ordinal):
        text = self[ordinal] = datetime.date.fromordinal(ordinal).isoformat()
        return text


def copy_lines(rows, iso=None) -> str:
    """Rows as PostgreSQL COPY text (tab-separated, \\N for NULL)."""
    iso = iso if iso is not None else _IsoDates()
    out = []
    for row in rows:
        fields = list(row)
        for i in DATE_COLUMNS:
            fields[i] = "\\N" if fields[i] is None else iso[fields[i]]
        out.append("\t".join(fields))
    out.append("")
    return "\n".join(out)


def as_dates(row) -> dict:
    """A row as model field values, for bulk_create."""
    values = dict(zip(COLUMNS, row, strict=True))
    for i in DATE_COLUMNS:
        name = COLUMNS[i]
        if values[name] is not None:
            values[name] = datetime.date.fromordinal(values[name])
    return values
