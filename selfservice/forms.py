"""The public pages' forms; their rules are selfservice.validation's, shared with the
bot API."""

import re

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from callcenter.fields import PhoneNumberFormField
from citizens.forms import TICKET_REFERENCE

from . import validation

# As Vietnamese people write dates, and the ISO form a date picker sends.
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
CALLBACK_SALT = "selfservice.callback"
CALLBACK_TOKEN_SECONDS = 30 * 60


# A date written in one of DATE_FORMATS' shapes: if it does not parse, the day is wrong.
DATE_SHAPE = re.compile(r"^(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2})$")


class BirthDateField(forms.DateField):
    """A date of birth as Vietnamese people write it; 31/02/1990 is told it is no such
    day rather than to use the format it already has."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            if DATE_SHAPE.match(str(value).strip()):
                raise forms.ValidationError(
                    _("Date of birth: there is no such day; check the day and the month."),
                    code="no_such_day",
                ) from None
            raise


class LookupForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=validation.NAME_MAX_LENGTH,
        widget=forms.TextInput({"autocomplete": "name", "autofocus": True}),
        help_text=_("Accents are optional: nguyen van an finds Nguyễn Văn An."),
    )
    date_of_birth = BirthDateField(
        label=_("Date of birth"),
        input_formats=DATE_FORMATS,
        widget=forms.TextInput({"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        error_messages={"invalid": _("Date of birth: type it as dd/mm/yyyy, e.g. 05/09/1990.")},
    )
    id_last4 = forms.CharField(
        label=_("Last 4 digits of the CCCD (or old ID) number"),
        max_length=4,
        min_length=4,
        widget=forms.TextInput({"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "min_length": validation.LAST4_MESSAGE,
            "max_length": validation.LAST4_MESSAGE,
        },
    )

    def clean(self):
        """The shared rules, for every field that was typed well enough to check: a
        wrong date does not hide what is wrong with the last 4 digits."""
        data = super().clean()
        errors = validation.lookup_errors(
            full_name=data.get("full_name", ""),
            date_of_birth=data.get("date_of_birth"),
            id_last4=data.get("id_last4", ""),
        )
        for field, messages in errors.items():
            if field in data and field not in self.errors:
                self.add_error(field, messages)
        return data


class TicketLookupForm(forms.Form):
    reference = forms.RegexField(
        label=_("Ticket reference"),
        regex=TICKET_REFERENCE,
        max_length=12,
        widget=forms.TextInput({"placeholder": "2611-00042", "autofocus": True}),
        error_messages={"invalid": _("Reference: such as 2611-00042, as you were told.")},
    )
    phone = PhoneNumberFormField(
        label=_("Phone number you called from"),
        region="VN",
        widget=forms.TextInput({"inputmode": "tel", "autocomplete": "tel"}),
    )


class CallbackForm(forms.Form):
    """'Leave your number': the phone, and the signed application the answer was about."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=200)
    phone = PhoneNumberFormField(
        label=_("Your phone number"),
        region="VN",
        widget=forms.TextInput({"inputmode": "tel", "autocomplete": "tel", "autofocus": True}),
    )

    @staticmethod
    def token_for(application) -> str:
        return signing.dumps(application.pk, salt=CALLBACK_SALT)

    def clean_token(self):
        try:
            return signing.loads(
                self.cleaned_data["token"], salt=CALLBACK_SALT, max_age=CALLBACK_TOKEN_SECONDS
            )
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This answer is too old: look your application up again.")
            ) from None


class AnswerSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the answers"), max_length=200, required=False)
