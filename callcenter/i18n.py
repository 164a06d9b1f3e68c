"""Strings Django itself uses but whose Vietnamese its catalogue lacks (timesince's
units): listed here so makemessages keeps them in ours."""

from django.utils.translation import ngettext_lazy

DJANGO_MISSING = [
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
]
