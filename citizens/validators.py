"""Validation of citizen identity numbers and dates.

A CCCD number has 12 digits: a three-digit province code, one digit for sex and
century, the last two digits of the birth year, then six digits. An old ID (CMND)
number has 9 or 12 digits. Each rule raises a ValidationError whose message names
the field and says what is wrong.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .provinces import province_name

_DIGITS = re.compile(r"[0-9]+")
_SEPARATORS = re.compile(r"[\s.\-]")


def normalize_number(value: str) -> str:
    """Drop the spaces, dots and dashes people type inside ID numbers."""
    return _SEPARATORS.sub("", value or "")


def cccd_century_start(digit: int) -> int:
    """First year of the century that the sex/century digit stands for."""
    return 1900 + 100 * (digit // 2)


def cccd_sex(number: str) -> str:
    return "female" if int(number[3]) % 2 else "male"


def cccd_birth_year(number: str) -> int:
    return cccd_century_start(int(number[3])) + int(number[4:6])


def validate_cccd_number(value: str) -> str:
    """Check the structure of a CCCD number and return it normalized."""
    number = normalize_number(value)
    if not _DIGITS.fullmatch(number):
        raise ValidationError(
            _("CCCD number: use digits only (got “%(value)s”)."),
            code="cccd_not_digits",
            params={"value": value},
        )
    if len(number) != 12:
        raise ValidationError(
            _("CCCD number: must have exactly 12 digits, not %(count)d."),
            code="cccd_length",
            params={"count": len(number)},
        )
    if province_name(number[:3]) is None:
        raise ValidationError(
            _("CCCD number: “%(code)s” is not a province code (first three digits)."),
            code="cccd_province",
            params={"code": number[:3]},
        )
    year = cccd_birth_year(number)
    if year > timezone.localdate().year:
        raise ValidationError(
            _("CCCD number: digits 4–6 give birth year %(year)d, which is in the future."),
            code="cccd_future_year",
            params={"year": year},
        )
    return number


def validate_cccd_matches_birth_date(number: str, date_of_birth: datetime.date) -> None:
    """Digits 4–6 (century and year) must agree with the date of birth."""
    year = cccd_birth_year(number)
    if year != date_of_birth.year:
        raise ValidationError(
            _(
                "CCCD number: digits 4–6 give birth year %(year)d, but the date of birth "
                "is in %(dob_year)d."
            ),
            code="cccd_birth_year_mismatch",
            params={"year": year, "dob_year": date_of_birth.year},
        )


def validate_old_id_number(value: str) -> str:
    """An old ID (CMND) number has 9 or 12 digits."""
    number = normalize_number(value)
    if not _DIGITS.fullmatch(number):
        raise ValidationError(
            _("Old ID number: use digits only (got “%(value)s”)."),
            code="old_id_not_digits",
            params={"value": value},
        )
    if len(number) not in (9, 12):
        raise ValidationError(
            _("Old ID number: must have 9 or 12 digits, not %(count)d."),
            code="old_id_length",
            params={"count": len(number)},
        )
    return number


def validate_date_of_birth(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(
            _("Date of birth: %(date)s is in the future."),
            code="date_of_birth_future",
            params={"date": value.isoformat()},
        )
    if value.year < 1900:
        raise ValidationError(
            _("Date of birth: %(date)s is before 1900."),
            code="date_of_birth_too_old",
            params={"date": value.isoformat()},
        )


FIRST_CCCD_DATE = datetime.date(2016, 1, 1)


def validate_application_date(value: datetime.date) -> None:
    if value < FIRST_CCCD_DATE:
        raise ValidationError(
            _("Application date: %(date)s is before CCCD cards were first issued (2016)."),
            code="application_date_too_old",
            params={"date": value.isoformat()},
        )
    if value > timezone.localdate():
        raise ValidationError(
            _("Application date: %(date)s is in the future."),
            code="application_date_future",
            params={"date": value.isoformat()},
        )


def identity_cross_errors(
    *,
    cccd_number: str = "",
    date_of_birth: datetime.date | None = None,
    application_date: datetime.date | None = None,
) -> dict[str, list[str]]:
    """Rules between identity fields, each already valid on its own.

    Returns the messages per field name, so a Django form and a DRF serializer report
    them the same way.
    """
    errors: dict[str, list[str]] = {}
    if cccd_number and date_of_birth:
        try:
            validate_cccd_matches_birth_date(cccd_number, date_of_birth)
        except ValidationError as exc:
            errors["cccd_number"] = exc.messages
    if application_date and date_of_birth and application_date < date_of_birth:
        errors["application_date"] = [_("Application date: cannot be before the date of birth.")]
    return errors


# Each identity field's own rule; a number comes back normalised (spaces and dots gone).
_FIELD_RULES = {
    "cccd_number": validate_cccd_number,
    "old_id_number": validate_old_id_number,
    "date_of_birth": validate_date_of_birth,
    "application_date": validate_application_date,
}


def identity_errors(data: dict, *, cross: bool = True) -> dict[str, list[str]]:
    """Check the identity fields present in `data` (already typed: strings and dates),
    normalising the numbers in place; then (with `cross`) the rules between them. The one check for
    every form and serializer that takes a citizen's identity: both report its
    messages under the same field names."""
    errors: dict[str, list[str]] = {}
    for field, rule in _FIELD_RULES.items():
        value = data.get(field)
        if not value:
            continue
        try:
            normalised = rule(value)
        except ValidationError as exc:
            errors[field] = exc.messages
            continue
        if isinstance(normalised, str):
            data[field] = normalised
    if not cross:
        return errors
    valid = {field: data.get(field) for field in _FIELD_RULES if field not in errors}
    cross = identity_cross_errors(
        cccd_number=valid.get("cccd_number") or "",
        date_of_birth=valid.get("date_of_birth"),
        application_date=valid.get("application_date"),
    )
    return errors | cross
