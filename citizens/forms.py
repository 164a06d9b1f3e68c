import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from callcenter import converters

from . import validators
from .provinces import provinces
from .search import Kind
from .text import fold

TICKET_REFERENCE = rf"^{converters.TICKET_REFERENCE}$"


def _province_choices():
    return [("", _("Any province"))] + [(c, f"{c} · {n}") for c, n in provinces().items()]


class IdentityCleaning:
    """Form mixin: the identity fields a form has, checked by
    citizens.validators.identity_errors (numbers come back without the spaces and dots
    people type). A search checks each field alone, not the rules between them."""

    identity_cross_rules = True

    def clean(self):
        data = super().clean()
        errors = validators.identity_errors(data, cross=self.identity_cross_rules)
        for field, messages in errors.items():
            self.add_error(field, messages)
        return data


class PurposeForm(forms.Form):
    """What a look-up is for (SPEC §9): `ticket`, a ticket the officer holds or held
    (checked by the service), or a written `purpose`."""

    ticket = forms.RegexField(
        regex=TICKET_REFERENCE,
        required=False,
        max_length=12,
        error_messages={"invalid": _("Ticket: not a ticket reference such as 2611-00042.")},
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if "ticket" not in self.errors:
            errors = validators.purpose_errors(data.get("ticket"), data.get("purpose", ""))
            for field, messages in errors.items():
                self.add_error(field, messages)
        return data


class ApplicationSearchForm(IdentityCleaning, PurposeForm):
    """One search of the card-application records, for the page and the API alike.

    The first complete criterion wins: CCCD number, old ID number, full name with date
    of birth, then a name (`q`) narrowed by province and/or birth year.
    """

    identity_cross_rules = False

    cccd_number = forms.CharField(label=_("CCCD number"), max_length=20, required=False)
    old_id_number = forms.CharField(label=_("Old ID number"), max_length=20, required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=100, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput({"type": "date"})
    )
    q = forms.CharField(label=_("Name (approximate)"), max_length=100, required=False)
    province = forms.ChoiceField(label=_("Province"), choices=_province_choices, required=False)
    birth_year = forms.IntegerField(label=_("Birth year"), required=False, min_value=1900)
    ticket = forms.RegexField(
        label=_("Ticket"), regex=TICKET_REFERENCE, required=False, max_length=12,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Ticket: not a ticket reference such as 2611-00042.")},
    )  # fmt: skip

    def clean_full_name(self):
        return self._name(self.cleaned_data["full_name"], _("Full name"))

    def clean_q(self):
        return self._name(self.cleaned_data["q"], _("Name"))

    @staticmethod
    def _name(value: str, label) -> str:
        if value and not fold(value).strip():
            raise forms.ValidationError(
                _("%(field)s: enter the name in letters."), params={"field": label}
            )
        return value

    def clean_birth_year(self):
        value = self.cleaned_data["birth_year"]
        if value and value > timezone.localdate().year:
            raise forms.ValidationError(
                _("Birth year: %(year)d is in the future."), params={"year": value}
            )
        return value

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.kind = self._kind(data)
        return data

    def _kind(self, data) -> str | None:
        if data.get("cccd_number"):
            return Kind.CCCD
        if data.get("old_id_number"):
            return Kind.OLD_ID
        if data.get("full_name") and data.get("date_of_birth"):
            return Kind.NAME_DOB
        if data.get("full_name"):
            self.add_error(
                "date_of_birth",
                _("Date of birth: needed with the full name (or search the name with a "
                  "province or birth year)."),
            )  # fmt: skip
            return None
        if data.get("q"):
            if not data.get("province") and not data.get("birth_year"):
                self.add_error("q", _("Name: narrow the search with a province or a birth year."))
                return None
            return Kind.FUZZY
        raise forms.ValidationError(
            _("Enter a CCCD number, an old ID number, a full name with the date of birth, "
              "or a name with a province or birth year."),
            code="empty",
        )  # fmt: skip

    # The fields each kind of search uses; the others given are ignored (`ignored`).
    USES = {
        Kind.CCCD: {"cccd_number"},
        Kind.OLD_ID: {"old_id_number"},
        Kind.NAME_DOB: {"full_name", "date_of_birth"},
        Kind.FUZZY: {"q", "province", "birth_year"},
    }

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label) if self.kind else ""

    def ignored(self) -> list[str]:
        """The labels of the fields filled in that this search did not use (the first
        complete criterion wins), for the page to say so."""
        used = self.USES.get(self.kind, set())
        return [str(self.fields[name].label) for name in self.criteria() if name not in used]

    def criteria(self) -> dict:
        """What was searched, as plain values for the access log."""
        return {
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in ("ticket", "purpose")
        }


class TicketReferenceForm(PurposeForm):
    """The `ticket` or `purpose` an opened application is for, as the access log
    records it."""
