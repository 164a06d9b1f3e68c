from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.models import NOTE_MAX_LENGTH

from .models import Reason, ReprintItem, ReprintPolicy


class RequestReprintForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reprint reason"), choices=Reason.choices)


class MarkForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            (ReprintItem.Outcome.PRINTED, _("Printed")),
            (ReprintItem.Outcome.FAILED, _("Failed")),
        ]
    )
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX_LENGTH, required=False)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ReprintPolicy
        fields = ["interval_days"]
