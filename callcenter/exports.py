"""Cells of every CSV and XLSX export, safe to open in a spreadsheet.

A cell beginning with `=`, `+`, `-` or `@` (or a tab or carriage return) is read as a
formula by Excel and LibreOffice: a caller's name typed as `=HYPERLINK(…)` would run
on the print desk's computer. Such a text is written with a leading apostrophe, as
OWASP's CSV-injection advice says. Numbers, dates and a plain signed number in text
(an E.164 phone, `+84912345678`) are left as they are: a spreadsheet reads no formula
into them.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9 ]*")


def safe_cell(value):
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]
