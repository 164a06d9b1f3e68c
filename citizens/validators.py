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


PURPOSE_MIN_LENGTH = 10


def purpose_errors(ticket: str, purpose: str) -> dict[str, list[str]]:
    """A look-up names its purpose (SPEC §9): the ticket it is for, or a written purpose
    of at least 10 characters. The one rule for the search and the opened application,
    on pages and in the API."""
    if ticket or len((purpose or "").strip()) >= PURPOSE_MIN_LENGTH:
        return {}
    message = _(
        "Purpose: name the ticket you hold, or write why you look this up "
        "(at least %(min)d characters)."
    ) % {"min": PURPOSE_MIN_LENGTH}
    return {"purpose": [message]}


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


# --- a record's fields, as a correction gives them ------------------------------------

NAME_MAX_LENGTH = 100


def validate_full_name(value: str) -> str:
    """A full name: words of letters, at most 100 characters; returned with single spaces."""
    name = " ".join((value or "").split())
    if not name:
        raise ValidationError(_("Full name: cannot be empty."), code="full_name_empty")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("Full name: at most %(max)d characters, not %(count)d."),
            code="full_name_length",
            params={"max": NAME_MAX_LENGTH, "count": len(name)},
        )
    if not all(ch.isalpha() or ch in " '-" for ch in name):
        raise ValidationError(
            _("Full name: use letters only (got “%(value)s”)."),
            code="full_name_letters",
            params={"value": name},
        )
    return name


def validate_sex(value: str) -> str:
    sex = (value or "").strip().upper()
    if sex not in ("M", "F"):
        raise ValidationError(
            _("Sex: use M (male) or F (female), not “%(value)s”."),
            code="sex_unknown",
            params={"value": value},
        )
    return sex


def validate_province_code(value: str) -> str:
    code = (value or "").strip()
    if province_name(code) is None:
        raise ValidationError(
            _("Province: “%(code)s” is not one of the 63 province codes."),
            code="province_unknown",
            params={"code": code},
        )
    return code


def parse_iso_date(value: str, label: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ValidationError(
            _("%(field)s: “%(value)s” is not a date (YYYY-MM-DD)."),
            code="date_format",
            params={"field": label, "value": value},
        ) from None


def _birth_date_text(value: str) -> str:
    day = parse_iso_date(value, _("Date of birth"))
    validate_date_of_birth(day)
    return day.isoformat()


# The fields of a card application a correction may change, each with its own rule
# (taking the text typed and returning it normalised).
RECORD_FIELD_RULES = {
    "full_name": validate_full_name,
    "date_of_birth": _birth_date_text,
    "sex": validate_sex,
    "cccd_number": validate_cccd_number,
    "old_id_number": validate_old_id_number,
    "province_code": validate_province_code,
}


def record_value_errors(data: dict, *, field: str, key: str) -> dict[str, list[str]]:
    """Check `data[key]`, the value typed for the record field `field`, by that field's
    own rule, normalising it in place; the messages come under `key`. The one check
    for every form and serializer that takes a value of a record field."""
    rule = RECORD_FIELD_RULES.get(field)
    if rule is None:
        return {}
    try:
        data[key] = rule(data.get(key) or "")
    except ValidationError as exc:
        return {key: exc.messages}
    return {}
