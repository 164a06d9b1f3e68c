from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CallbackAttempt


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CallbackAttempt.Outcome.choices)
    ticket = forms.CharField(label=_("Ticket"), max_length=12, required=False)
