"""Input fields that refuse values of the wrong type or shape instead of coercing them."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field import formfields, serializerfields
from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A string, and only a string: 123 or true is a 400, not "123" or "True"."""

    default_error_messages = {"invalid": _("Not a valid string.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only."""

    default_error_messages = {"invalid": _("Must be true or false.")}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


PHONE_CHARACTERS = re.compile(r"^\+?[0-9\s().\-]+$")
INVALID_PHONE = _("Enter a valid phone number, such as 0912 345 678 or +84 912 345 678.")


class StrictPhoneNumberField(serializerfields.PhoneNumberField):
    """A phone number typed as digits: letters are refused, not read as keypad letters,
    and a JSON number is refused rather than converted."""

    default_error_messages = {"invalid": INVALID_PHONE}

    def to_internal_value(self, data):
        if not isinstance(data, str) or not PHONE_CHARACTERS.match(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class PhoneNumberFormField(formfields.PhoneNumberField):
    """The form twin of StrictPhoneNumberField."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {}).setdefault("invalid", INVALID_PHONE)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value not in self.empty_values and not PHONE_CHARACTERS.match(str(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
DATE_OUT_OF_RANGE = _("Enter a date between %(earliest)s and %(latest)s.")
DATE_BOUNDS = {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}


class BoundedDateFormField(forms.DateField):
    """A date a ticket, a call or a log entry can have: years 2000–2100. Outside that a
    filter would overflow the database's date arithmetic."""

    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise forms.ValidationError(DATE_OUT_OF_RANGE, code="out_of_range", params=DATE_BOUNDS)


class BoundedDateField(serializers.DateField):
    """The API twin of BoundedDateFormField: near year 9999 a day-by-day range
    overflows Python's dates."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise serializers.ValidationError(DATE_OUT_OF_RANGE % DATE_BOUNDS, code="out_of_range")
        return day
