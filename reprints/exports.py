"""The files the print desk works from: one row per card (SPEC §3 columns)."""

from collections import defaultdict

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from callcenter import batching
from citizens.services import records_shown

from .models import Reason, ReprintItem


def headers() -> list[str]:
    return [
        _("Application number"), _("CCCD number"), _("Full name"), _("Date of birth"),
        _("Receiving unit"), _("Reason"), _("Ticket references"),
    ]  # fmt: skip


def rows(batch):
    """The batch's items in order, with their tickets: three queries for any size."""
    items = list(
        ReprintItem.objects.filter(batch=batch)
        .order_by("id")
        .values_list(
            "id",
            "application__application_number",
            "application__cccd_number",
            "application__full_name",
            "application__date_of_birth",
            "application__receiving_unit",
            "reason",
        )
    )
    references = defaultdict(list)
    through = ReprintItem.tickets.through.objects.filter(reprintitem__batch=batch)
    for item_id, reference in through.order_by("ticket__reference").values_list(
        "reprintitem_id", "ticket__reference"
    ):
        references[item_id].append(reference)
    reasons = dict(Reason.choices)
    for item_id, number, cccd, name, born, unit, reason in items:
        yield [number, cccd, name, born.isoformat(), unit, str(reasons[reason]),
               " ".join(references[item_id])]  # fmt: skip


# How the access log says where a batch was shown (`what`: page, api or a file's extension).
SHOWN = {
    "page": gettext_noop("reprint batch %(number)s, its page"),
    "api": gettext_noop("reprint batch %(number)s, through the API"),
    "file": gettext_noop("reprint batch %(number)s, as %(form)s"),
}


def record_shown(*, user, batch, what: str, items=None) -> None:
    """The access log's row for a batch page (its `items`) or a whole batch shown or
    exported: who saw these citizens' records."""
    if items is not None:
        numbers = [item.application.application_number for item in items]
    else:
        numbers = ReprintItem.objects.filter(batch=batch).values_list(
            "application__application_number", flat=True
        )
    records_shown(
        user=user,
        what=SHOWN.get(what, SHOWN["file"]),
        what_args={"number": batch.number, "form": what.upper()},
        applications=numbers,
    )


def as_csv(batch) -> bytes:
    return batching.as_csv(headers(), rows(batch))


def as_xlsx(batch) -> bytes:
    title = _("Batch %(number)d") % {"number": batch.number}
    return batching.as_xlsx(headers(), rows(batch), title=title)


def download(batch, content: bytes, extension: str, content_type: str = "") -> HttpResponse:
    """An export as a file download named after its batch."""
    return batching.download(content, f"reprint-batch-{batch.number}", extension)
