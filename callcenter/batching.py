"""Numbered batches of pending requests, and the files they are handed over as.

One mechanism for every app that hands work to another unit in numbered lists (the
reprint batches for the print desk, the correction lists for the local police): the
builds are serialized, everything happens in the caller's transaction, and numbers
follow each other without gaps, so two builds at once, or a worker killed half-way,
neither duplicate nor lose a request and never leave an empty batch.
"""

import csv
import io

from django.db import connection
from django.db.models import Max
from django.http import HttpResponse
from openpyxl import Workbook

from .exports import safe_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def lock(key: int) -> None:
    """Take the build's lock until the transaction ends: an advisory lock on
    PostgreSQL; on SQLite the first write takes the database's own write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def build(
    *,
    pending,
    batch_model,
    lock_key: int,
    batch_field: str = "batch",
    group_by: str = "",
    group_field: str = "",
    set_fields: dict | None = None,
) -> list:
    """Move every `pending` request (a queryset; `batch_field` is its foreign key to
    `batch_model`) into new numbered batches: one, or one per distinct value of
    `group_by` (kept in the batch's `group_field`), setting `set_fields` on the
    requests too. Returns the batches, lowest number first; none when nothing is
    pending. Call inside a transaction."""
    lock(lock_key)
    if group_by:
        keys = list(pending.order_by(group_by).values_list(group_by, flat=True).distinct())
    else:
        keys = [None] if pending.exists() else []
    number = batch_model.objects.aggregate(n=Max("number"))["n"] or 0
    batches = []
    for key in keys:
        number += 1
        fields = {group_field: key} if group_by else {}
        batch = batch_model.objects.create(number=number, **fields)
        rows = pending.filter(**{group_by: key}) if group_by else pending
        rows.update(**{batch_field: batch}, **(set_fields or {}))
        batches.append(batch)
    return batches


def as_csv(headers: list, rows) -> bytes:
    """The rows as CSV, each cell safe to open in a spreadsheet (callcenter.exports)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(safe_row(row) for row in rows)
    # A byte-order mark, so spreadsheet programs read the Vietnamese names as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(headers: list, rows, *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content: bytes, filename: str, extension: str) -> HttpResponse:
    """An export as a file download."""
    content_type = CSV_TYPE if extension == "csv" else XLSX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
