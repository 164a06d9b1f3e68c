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
