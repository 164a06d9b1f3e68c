"""DRF fields that refuse values of the wrong JSON type instead of coercing them."""

from django.utils.translation import gettext_lazy as _
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
