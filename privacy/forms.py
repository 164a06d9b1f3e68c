"""Input of data-subject requests: one form each, used by the page and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from callcenter.fields import PhoneNumberFormField
from citizens.validators import identity_errors

from .holdings import Subject

ID_NUMBER = r"^(\d{9}|\d{12})$"
REASON_MIN = 10
CORRECTABLE = [
    ("caller_name", _("Full name")),
    ("date_of_birth", _("Date of birth")),
    ("cccd_number", _("CCCD number")),
    ("old_id_number", _("Old ID number")),
    ("place_of_application", _("Place of application")),
]


class SubjectForm(forms.Form):
    """Whose data: a phone number or an ID number (CCCD or old ID), not both."""

    phone = PhoneNumberFormField(label=_("Phone"), required=False, region="VN")
    id_number = forms.RegexField(
        label=_("ID number"),
        regex=ID_NUMBER,
        required=False,
        max_length=12,
        error_messages={"invalid": _("ID number: 9 or 12 digits.")},
    )

    def clean(self):
        data = super().clean()
        given = [name for name in ("phone", "id_number") if data.get(name)]
        if len(given) != 1 and not self.errors:
            raise forms.ValidationError(_("Give a phone number or an ID number (one of them)."))
        return data

    def subject(self) -> Subject:
        phone = self.cleaned_data.get("phone")
        return Subject(
            phone=phone.as_e164 if phone else "", id_number=self.cleaned_data.get("id_number") or ""
        )


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Reason"),
            min_length=REASON_MIN,
            max_length=2000,
            error_messages={"min_length": _("Reason: at least 10 characters.")},
            widget=forms.Textarea({"rows": 2}),
            **kwargs,
        )


class ErasureForm(SubjectForm):
    reason = ReasonField()


class CorrectionForm(SubjectForm):
    reference = forms.CharField(label=_("Ticket"), max_length=12)
    field = forms.ChoiceField(label=_("Field"), choices=CORRECTABLE)
    value = forms.CharField(label=_("Correct value"), max_length=200, required=False)
    reason = ReasonField()

    def clean(self):
        data = super().clean()
        field, value = data.get("field"), data.get("value", "")
        if field == "date_of_birth" and value:
            try:
                value = forms.DateField().clean(value)
            except forms.ValidationError:
                self.add_error("value", _("Date of birth: a date such as 1990-05-17."))
                return data
        if field in ("cccd_number", "old_id_number", "date_of_birth") and value:
            typed = {field: value}
            for messages in identity_errors(typed, cross=False).values():
                for message in messages:
                    self.add_error("value", message)
            value = typed[field]
        data["value"] = value if value != "" else (None if field == "date_of_birth" else "")
        return data
