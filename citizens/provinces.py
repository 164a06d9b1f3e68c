"""Province codes used in the first three digits of a CCCD number."""

import csv
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "provinces.csv"


@cache
def provinces() -> dict[str, str]:
    """Province code (three digits) → province name."""
    with DATA_FILE.open(encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


def province_name(code: str) -> str | None:
    return provinces().get(code)


UNITS_FILE = Path(__file__).parent / "data" / "receiving_units.csv"


@cache
def receiving_units() -> dict[tuple[str, str], list[str]]:
    """(province code, level) → the real units of that level taking applications:
    `province` (its police's PC06), `district` (before the reform of 1 July 2025),
    `commune` (after it). Written by scripts/place_names.py from vietnam-provinces."""
    units: dict[tuple[str, str], list[str]] = {}
    with UNITS_FILE.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            units.setdefault((row["province_code"], row["level"]), []).append(row["name"])
    return units
