"""The correction list a receiving unit's police works from: one row per request."""

from collections import defaultdict

from django.utils.translation import gettext as _

from callcenter import batching

from .models import CorrectionRequest, Field


def headers() -> list[str]:
    return [
        _("Request"), _("Application number"), _("CCCD number"), _("Full name"),
        _("Date of birth"), _("Field"), _("Value on record"), _("Correct value"),
        _("Evidence"), _("Ticket references"),
    ]  # fmt: skip


def rows(correction_list):
    """The list's requests in order, with their tickets: two queries for any size."""
    requests = list(
        CorrectionRequest.objects.filter(correction_list=correction_list)
        .order_by("id")
        .values_list(
            "id",
            "application__application_number",
            "application__cccd_number",
            "application__full_name",
            "application__date_of_birth",
            "field",
            "recorded_value",
            "correct_value",
            "evidence",
        )  # fmt: skip
    )
    references = defaultdict(list)
    through = CorrectionRequest.tickets.through.objects.filter(
        correctionrequest__correction_list=correction_list
    )
    for request_id, reference in through.order_by("ticket__reference").values_list(
        "correctionrequest_id", "ticket__reference"
    ):
        references[request_id].append(reference)
    labels = dict(Field.choices)
    for pk, number, cccd, name, born, field, recorded, correct, evidence in requests:
        yield [pk, number, cccd, name, born.isoformat(), str(labels[field]), recorded, correct,
               evidence, " ".join(references[pk])]  # fmt: skip


def download(correction_list, extension: str):
    if extension == "csv":
        content = batching.as_csv(headers(), rows(correction_list))
    else:
        title = _("List %(number)d") % {"number": correction_list.number}
        content = batching.as_xlsx(headers(), rows(correction_list), title=title)
    return batching.download(content, f"correction-list-{correction_list.number}", extension)
