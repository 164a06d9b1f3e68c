"""The simulated records' defects and place names (issue 15): each defect at its
documented share (seeding.DEFECTS), found by the data-quality checks; receiving units
are real ones, from vietnam-provinces."""

import collections
import datetime

import pytest

from citizens import quality
from citizens.provinces import provinces, receiving_units
from citizens.seeding import DEFECTS, REFORM, RecordGenerator, as_dates

TODAY = datetime.date(2026, 12, 1)
N = 200_000


@pytest.fixture(scope="module")
def rows():
    return [as_dates(row) for row in RecordGenerator(seed=11, start=1).rows(N)]


@pytest.fixture(scope="module")
def findings(rows):
    found = collections.Counter()
    for row in rows:
        found.update(quality.row_findings({**row, "id": 0}, TODAY))
    return found


def near(count: int, expected: float) -> bool:
    """Within a factor of two of the documented share (and not none)."""
    return count > 0 and expected / 2 <= count <= expected * 2


def test_the_1900s_century_digit_on_people_born_since_2000(rows, findings):
    born_2000s = [r for r in rows if r["date_of_birth"].year >= 2000]
    # Their own year's digits with the 1900s century digit (a shared number, given to
    # someone born in another year, is another defect).
    wrong = [
        r for r in born_2000s
        if r["cccd_number"][3] in "01" and r["cccd_number"][4:6] == f"{r['date_of_birth']:%y}"
    ]  # fmt: skip
    assert near(len(wrong), DEFECTS["century_digit"] * len(born_2000s))
    # The report finds them (and the shared numbers of people born in another year).
    assert findings["cccd_birth_mismatch"] >= len(wrong)


def test_sex_digits_steps_reasons_and_provinces_at_their_shares(rows, findings):
    rejected = sum(1 for row in rows if row["status"] == "rejected")
    approved = sum(1 for row in rows if row["approved_on"] is not None)
    assert near(findings["cccd_sex_mismatch"], DEFECTS["sex_digit"] * N)
    assert near(findings["impossible_dates"], DEFECTS["approved_before_lodged"] * approved)
    assert near(findings["missing_fields"], DEFECTS["rejection_without_reason"] * rejected)
    assert near(findings["unknown_province"], DEFECTS["unknown_province"] * N)
    assert findings["cccd_malformed"] == 0


def test_some_numbers_are_shared_by_two_people(rows):
    holders = collections.defaultdict(set)
    for row in rows:
        holders[row["cccd_number"]].add((row["name_key"], row["date_of_birth"]))
    shared = [n for n, people in holders.items() if len(people) > 1]
    assert near(len(shared), DEFECTS["shared_number"] * N)


def test_receiving_units_are_real_and_follow_the_2025_reform(rows):
    units = receiving_units()
    assert {code for code, _ in units} == set(provinces())  # all 63 provinces
    for row in rows[:20_000]:
        province = row["application_number"][4:7]
        lodged = row["lodged_on"].toordinal()
        local = "commune" if lodged >= REFORM else "district"
        assert row["receiving_unit"] in units[(province, "province")] + units[(province, local)]
    later = [r for r in rows if r["lodged_on"].toordinal() >= REFORM]
    assert later and any(r["receiving_unit"].startswith("Công an phường") for r in later)
    assert "Công an quận Ba Đình" in units[("001", "district")]
    assert "Công an phường Hoàn Kiếm" in units[("001", "commune")]


def test_commune_units_are_the_wards_of_vietnam_provinces():
    vietnam_provinces = pytest.importorskip("vietnam_provinces")
    wards = {ward.name for ward in vietnam_provinces.Ward.iter_all()}
    communes = [name for (_, level), names in receiving_units().items() if level == "commune"
                for name in names]  # fmt: skip
    assert len(communes) > 3000
    assert all(any(name.lower().endswith(w.lower()) for w in wards) for name in communes[:200])
