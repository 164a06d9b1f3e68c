from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from callcenter.fields import PhoneNumberFormField
from citizens import validators
from citizens.forms import TICKET_REFERENCE, IdentityCleaning

from . import validation
from .models import (
    IDENTITY_DATE_FIELDS,
    IDENTITY_TEXT_FIELDS,
    NOTE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Category,
    Channel,
    ResolutionCode,
)

# Codes an agent or officer may choose; `reprinted` is set only by the print desk.
MANUAL_RESOLUTION_CODES = [c for c in ResolutionCode.choices if c[0] != ResolutionCode.REPRINTED]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CallerLookupForm(forms.Form):
    """Whose history the console shows: the number typed, and the CCCD number when the
    caller gives one (a caller on another phone). Half-typed values are ignored."""

    caller_phone = PhoneNumberFormField(label=_("Caller phone"), region="VN", required=False)
    cccd_number = forms.CharField(max_length=20, required=False)

    def clean_cccd_number(self):
        value = self.cleaned_data["cccd_number"]
        try:
            return validators.validate_cccd_number(value) if value else ""
        except ValidationError:
            return ""

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("caller_phone") and not data.get("cccd_number"):
            raise ValidationError(_("Enter the caller's phone number."), code="empty")
        return data


class FollowUpForm(forms.Form):
    """The console's "Add this call to <reference>": the call (and its PBX call), with
    the summary the agent typed as a note; `reopen` for a recently resolved case."""

    follow_up = forms.RegexField(regex=TICKET_REFERENCE, required=False)
    reopen = forms.RegexField(regex=TICKET_REFERENCE, required=False)
    summary = forms.CharField(max_length=NOTE_MAX_LENGTH, required=False)
    call_started_at = forms.DateTimeField(required=False)
    pbx_call = forms.IntegerField(required=False, min_value=1)

    def clean(self):
        data = super().clean()
        data["reference"] = data.get("reopen") or data.get("follow_up")
        data["reopen"] = bool(data.get("reopen"))
        if not data["reference"]:
            raise ValidationError(_("Choose the ticket to add this call to."), code="empty")
        errors = validation.call_time_errors(
            channel=Channel.PHONE, started=data.get("call_started_at"), ended=None
        )
        for field, messages in errors.items():
            self.add_error(field, messages)
        return data


class TicketForm(IdentityCleaning, forms.Form):
    """The agent console: one call logged as a ticket."""

    caller_phone = PhoneNumberFormField(
        label=_("Caller phone"),
        region="VN",
        widget=forms.TextInput({"autofocus": True, "inputmode": "tel", "autocomplete": "off"}),
    )
    caller_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    cccd_number = forms.CharField(
        label=_("CCCD number"),
        max_length=20,
        required=False,
        widget=forms.TextInput({"inputmode": "numeric"}),
    )
    old_id_number = forms.CharField(
        label=_("Old ID number"),
        max_length=20,
        required=False,
        widget=forms.TextInput({"inputmode": "numeric"}),
    )
    place_of_application = forms.CharField(
        label=_("Place of application"), max_length=200, required=False
    )
    application_date = forms.DateField(
        label=_("Application date"), required=False, widget=DateInput()
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("— choose —")), *Category.choices]
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=SUMMARY_MAX_LENGTH, widget=forms.Textarea({"rows": 4})
    )
    # Set by the page when the agent starts typing the caller's number: the call's start.
    call_started_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    # Set by the incoming-call pop-up: the PBX's call this ticket logs.
    pbx_call = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # Set by a suggestion's "Resolve with this answer": the published answer given.
    answer = forms.SlugField(max_length=80, required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        errors = validation.call_time_errors(
            channel=Channel.PHONE, started=data.get("call_started_at"), ended=None
        )
        for field, messages in errors.items():
            self.add_error(field, messages)
            # Set by the page, not typed: cleared, so that logging the call again works.
            self.data = self.data.copy()
            self.data[field] = ""
        return data

    def identity(self) -> dict:
        return {field: self.cleaned_data.get(field) or None for field in IDENTITY_DATE_FIELDS} | {
            field: self.cleaned_data.get(field) or "" for field in IDENTITY_TEXT_FIELDS
        }


class EmptyForm(forms.Form):
    """For an action that takes no input (claim)."""


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea({"rows": 3})
    )


class OptionalNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )


class ResolveForm(forms.Form):
    resolution_code = forms.ChoiceField(label=_("Resolution"), choices=MANUAL_RESOLUTION_CODES)
    resolution_note = forms.CharField(
        label=_("Resolution note"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )


class LinkApplicationForm(forms.Form):
    application_number = forms.CharField(label=_("Application number"), max_length=20)


class ShownTicketsForm(forms.Form):
    """The console's `?created=` and `?added=`: the ticket just logged or added to."""

    created = forms.RegexField(regex=TICKET_REFERENCE, required=False, max_length=12)
    added = forms.RegexField(regex=TICKET_REFERENCE, required=False, max_length=12)


class RecentSearchForm(forms.Form):
    """The console's search of the agent's recent tickets (a NUL byte is refused; a
    long query is cut to its first 100 characters by the view)."""

    q = forms.CharField(required=False, strip=True)
