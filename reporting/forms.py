import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from callcenter.fields import BoundedDateFormField

DEFAULT_DAYS = 30
MAX_SPAN_DAYS = 366


def resolve_period(first, last) -> tuple[datetime.date, datetime.date, str]:
    """A statistics range, the one rule for page and API: the end defaults to today,
    the start to 30 days before the end; at most a year apart. Returns the dates and
    what is wrong with the end ("" when nothing)."""
    last = last or timezone.localdate()
    first = first or last - datetime.timedelta(days=DEFAULT_DAYS - 1)
    error = ""
    if first > last:
        error = _("To: must not be before from.")
    elif (last - first).days > MAX_SPAN_DAYS:
        error = _("To: at most a year after from.")
    return first, last, error


class RangeForm(forms.Form):
    start = BoundedDateFormField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = BoundedDateFormField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput({"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["start"], data["end"], error = resolve_period(data.get("start"), data.get("end"))
        if error:
            self.add_error("end", error)
        return data
