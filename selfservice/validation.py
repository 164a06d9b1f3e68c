"""The public look-ups' input rules, written once for the page forms and the bot API:
functions of already-typed values returning {field: [messages]}."""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citizens.text import fold

NAME_MAX_LENGTH = 100
EARLIEST_BIRTH = datetime.date(1900, 1, 1)
LAST4 = re.compile(r"^[0-9]{4}$")
LAST4_MESSAGE = gettext_lazy("Last 4 digits: enter exactly 4 digits of your CCCD or old ID number.")


def lookup_errors(*, full_name: str, date_of_birth: datetime.date | None, id_last4: str) -> dict:
    """Full name (letters, at most 100 characters), a date of birth in the past and
    the last 4 digits of the CCCD or old ID number."""
    errors = {}
    if not fold(full_name).replace(" ", "").isalpha():
        errors["full_name"] = [_("Full name: enter the name in letters, as on the card.")]
    if date_of_birth is not None and date_of_birth > timezone.localdate():
        errors["date_of_birth"] = [_("Date of birth: the date is in the future.")]
    elif date_of_birth is not None and date_of_birth < EARLIEST_BIRTH:
        errors["date_of_birth"] = [_("Date of birth: the date is before 1900.")]
    if not LAST4.match(id_last4):
        errors["id_last4"] = [str(LAST4_MESSAGE)]
    return errors
