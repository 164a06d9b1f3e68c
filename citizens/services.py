"""Writes of the records app: every look-up is logged as it happens."""

from django.db import transaction

from . import search
from .models import CardApplication, RecordAccess


@transaction.atomic
def application_search(*, user, kind: str, criteria: dict, ticket_reference: str = ""):
    """Run a validated search and record it in the access log."""
    matches = search.run(kind, criteria)
    RecordAccess.objects.create(
        user=user,
        action=RecordAccess.Action.SEARCH,
        search_kind=kind,
        query=criteria,
        ticket_reference=ticket_reference,
        result_count=len(matches),
    )
    return matches


@transaction.atomic
def application_open(*, user, application: CardApplication, ticket_reference: str = ""):
    """Record that a user opened one application, and return it with its timeline."""
    RecordAccess.objects.create(
        user=user,
        action=RecordAccess.Action.OPEN,
        application_number=application.application_number,
        ticket_reference=ticket_reference,
        result_count=1,
    )
    return search.describe(application)


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
