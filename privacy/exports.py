"""A data-subject request's answer as one file: JSON, or a workbook with one sheet per
kind of data for a reader."""

import io
import json

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from callcenter.exports import safe_cell

SHEETS = {"tickets": _("Tickets"), "calls": _("Calls"), "callbacks": _("Callbacks"),
          "lookups": _("Look-ups")}  # fmt: skip


def _filename(extension: str) -> str:
    return f"personal-data-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def _attachment(response, extension):
    response["Content-Disposition"] = f'attachment; filename="{_filename(extension)}"'
    response["Cache-Control"] = "no-store"
    return response


def as_json(held: dict) -> HttpResponse:
    body = json.dumps(held, ensure_ascii=False, indent=2)
    return _attachment(HttpResponse(body, content_type="application/json"), "json")


def _cell(value):
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return safe_cell(value)


def as_xlsx(held: dict) -> HttpResponse:
    book = Workbook()
    book.remove(book.active)
    for kind, title in SHEETS.items():
        sheet = book.create_sheet(str(title)[:31])
        rows = held.get(kind, [])
        columns = list(rows[0]) if rows else []
        sheet.append(columns)
        for row in rows:
            sheet.append([_cell(row[column]) for column in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _attachment(HttpResponse(buffer.getvalue(), content_type=media), "xlsx")
