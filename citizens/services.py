"""Writes of the records app: every look-up is logged as it happens."""

import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from callcenter import batching

from . import hooks, quality, search
from .models import CardApplication, QualityReport, RecordAccess, SearchKind


def _check_ticket(user, reference: str) -> None:
    """A look-up for a ticket is for one the user holds or has held (tickets answers
    through citizens.hooks.lookup_ticket_held)."""
    if reference and not any(hooks.lookup_ticket_held(user=user, reference=reference)):
        raise ValidationError(
            {"ticket": [_("Ticket: %(reference)s is not a ticket you hold or have held.")
                        % {"reference": reference}]}
        )  # fmt: skip


@transaction.atomic
def application_search(
    *, user, kind: str, criteria: dict, ticket_reference: str = "", purpose: str = ""
):
    """Run a validated search for its purpose (a held ticket or a written purpose) and
    record it in the access log."""
    _check_ticket(user, ticket_reference)
    matches = search.run(kind, criteria)
    RecordAccess.objects.create(
        user=user,
        action=RecordAccess.Action.SEARCH,
        search_kind=kind,
        query=criteria,
        ticket_reference=ticket_reference,
        purpose=purpose,
        result_count=len(matches),
    )
    return matches


@transaction.atomic
def application_open(
    *, user, application: CardApplication, ticket_reference: str = "", purpose: str = ""
):
    """Record that a user opened one application (for a held ticket or a written
    purpose), and return it with its timeline."""
    _check_ticket(user, ticket_reference)
    RecordAccess.objects.create(
        user=user,
        action=RecordAccess.Action.OPEN,
        application_number=application.application_number,
        ticket_reference=ticket_reference,
        purpose=purpose,
        result_count=1,
    )
    return search.describe(application)


def records_shown(
    *, user, what: str, what_args=None, applications=(), tickets=(), purpose: str = ""
) -> None:
    """A page or an export showed citizens' data outside a search (a reprint batch, the
    ticket list with full identity): one access-log row listing what it showed, so "who
    saw this citizen" has a complete answer. `what` is English, marked gettext_noop;
    with `what_args` it is a %-template, kept beside the text so the log page can say it
    in the reader's language (RecordAccess.query_items)."""
    applications, tickets = sorted(set(applications)), sorted(set(tickets))
    if not applications and not tickets:
        return
    shown = (
        {"shown": what % what_args, "shown_as": [what, what_args]} if what_args else {"shown": what}
    )
    RecordAccess.objects.create(
        user=user,
        action=RecordAccess.Action.LIST,
        query={**shown, "applications": applications, "tickets": tickets},
        purpose=purpose,
        result_count=len(applications) + len(tickets),
    )


@transaction.atomic
def application_record_reprint(*, application: CardApplication, day) -> None:
    """The card-printing unit printed the card again: its timeline shows the reprint."""
    CardApplication.objects.filter(pk=application.pk).update(reprinted_on=day)


def application_field_text(application: CardApplication, field: str) -> str:
    """A field of the record as text (a date as YYYY-MM-DD), as corrections show it."""
    value = getattr(application, field)
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


@transaction.atomic
def application_correct(*, application: CardApplication, field: str, value: str) -> None:
    """The local police corrected the record: `value` (already validated by
    validators.RECORD_FIELD_RULES) replaces the field."""
    application = CardApplication.objects.select_for_update().get(pk=application.pk)
    if field == "full_name":
        application.set_name(value)
        fields = ["full_name", "name_key", "family_key", "given_key"]
        search.forget_vocabulary()
    else:
        setattr(application, field, value)
        fields = [field]
    application.save(update_fields=fields)


def _self_service_row(*, client_address, kind, query, outcome, application=None):
    return RecordAccess.objects.create(
        user=None,
        channel=RecordAccess.Channel.SELF_SERVICE,
        client_address=client_address,
        action=RecordAccess.Action.SEARCH,
        search_kind=kind,
        query=query,
        outcome=outcome,
        result_count=int(outcome == RecordAccess.Outcome.FOUND),
        application_number=application.application_number if application else "",
    )


@transaction.atomic
def application_self_lookup(*, client_address, full_name, date_of_birth, id_last4):
    """A citizen looks up their own application (SPEC §8.5): the latest one, or None;
    logged with the client's address, what was asked and whether it was found."""
    application = search.latest_by_name_birth_last4(full_name, date_of_birth, id_last4)
    query = {
        "full_name": full_name,
        "date_of_birth": date_of_birth.isoformat(),
        "id_last4": id_last4,
    }
    found = RecordAccess.Outcome.FOUND if application else RecordAccess.Outcome.NOT_FOUND
    _self_service_row(
        client_address=client_address,
        kind=SearchKind.SELF_SERVICE,
        query=query,
        outcome=found,
        application=application,
    )
    return search.describe(application) if application else None


@transaction.atomic
def self_service_logged(*, client_address, kind: str, query: dict, outcome: str) -> None:
    """A public look-up that did not reach the records (refused by the limits) or was
    about a ticket: in the access log all the same."""
    _self_service_row(client_address=client_address, kind=kind, query=query, outcome=outcome)


# Serializes data-quality builds on PostgreSQL (an arbitrary constant key).
QUALITY_LOCK = 7_300_370


@transaction.atomic
def quality_report_build() -> QualityReport:
    """Run every data-quality check over the records into a new stored report, and
    drop the older ones. One transaction: the pages read the last complete report
    until this one commits; two builds at once take turns."""
    started = time.monotonic()
    batching.lock(QUALITY_LOCK)
    report = QualityReport.objects.create()
    quality.fill(report, timezone.localdate())
    report.seconds = round(time.monotonic() - started, 3)
    report.save(update_fields=["counts", "rows", "seconds"])
    QualityReport.objects.exclude(pk=report.pk).delete()
    return report


@transaction.atomic
def quality_list_open(*, user, code: str, criteria: dict, count: int) -> None:
    """Record that a user read a data-quality list (a page of it, or its CSV)."""
    RecordAccess.objects.create(
        user=user,
        action=RecordAccess.Action.QUALITY,
        query={"check": code, **criteria},
        result_count=count,
    )
