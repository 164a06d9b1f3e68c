from django import forms
from django.utils.translation import gettext_lazy as _

from citizens.validators import record_value_errors
from tickets.models import NOTE_MAX_LENGTH

from .models import CorrectionRequest, Field


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label=_("Field to correct"), choices=Field.choices)
    correct_value = forms.CharField(label=_("Correct value"), max_length=200, strip=False)
    evidence = forms.CharField(label=_("Evidence"), max_length=4000, widget=forms.Textarea)

    def clean(self):
        data = super().clean()
        if "field" in data and "correct_value" in data:
            errors = record_value_errors(data, field=data["field"], key="correct_value")
            for name, messages in errors.items():
                for message in messages:
                    self.add_error(name, message)
        return data


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            (CorrectionRequest.Status.CORRECTED, _("Corrected")),
            (CorrectionRequest.Status.REFUSED, _("Refused")),
        ]
    )
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX_LENGTH, required=False)
