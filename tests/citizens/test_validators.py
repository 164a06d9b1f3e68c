"""Citizen identity numbers and dates (SPEC §3: CCCD number, old ID)."""

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from citizens import validators
from citizens.provinces import provinces


def error_of(func, *args):
    with pytest.raises(ValidationError) as excinfo:
        func(*args)
    return excinfo.value


def message_of(func, *args):
    return " ".join(error_of(func, *args).messages)


# --- CCCD structure -----------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "001090012345",  # Hà Nội, man born 1990
        "079185000001",  # TP Hồ Chí Minh, woman born 1985
        "048200123456",  # Đà Nẵng, man born 2000
        "096301654321",  # Cà Mau, woman born 2001
        "002099999999",  # Hà Giang, man born 1999
    ],
)
def test_valid_cccd_is_accepted_unchanged(number):
    assert validators.validate_cccd_number(number) == number


def test_every_province_code_in_the_list_is_accepted():
    for code in provinces():
        assert validators.validate_cccd_number(f"{code}090012345") == f"{code}090012345"


def test_province_list_holds_the_63_provinces():
    assert len(provinces()) == 63
    assert provinces()["001"] == "Hà Nội"


@pytest.mark.parametrize(
    "typed", ["001 090 012345", "001.090.012345", "001-090-012345", " 001090012345\t"]
)
def test_cccd_typed_with_separators_is_returned_normalized(typed):
    assert validators.validate_cccd_number(typed) == "001090012345"


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [("001 090 012345", "001090012345"), ("12.345-678", "12345678"), ("", ""), (None, "")],
)
def test_normalize_number_drops_spaces_dots_and_dashes(typed, normalized):
    assert validators.normalize_number(typed) == normalized


@pytest.mark.parametrize(
    ("number", "code", "expected_in_message"),
    [
        ("00109001234A", "cccd_not_digits", "00109001234A"),
        ("001_090_012345", "cccd_not_digits", "001_090_012345"),
        ("0010900123", "cccd_length", "10"),
        ("0010900123456", "cccd_length", "13"),
        ("001", "cccd_length", "3"),
        ("003090012345", "cccd_province", "003"),
        ("000090012345", "cccd_province", "000"),
        ("099090012345", "cccd_province", "099"),
    ],
)
def test_malformed_cccd_is_refused_with_a_precise_message(number, code, expected_in_message):
    error = error_of(validators.validate_cccd_number, number)

    assert error.code == code
    assert expected_in_message in " ".join(error.messages)


def test_cccd_message_for_letters_says_digits_only():
    with override("en"):
        assert "digits only" in message_of(validators.validate_cccd_number, "ABCDEFGHIJKL")


def test_cccd_giving_a_birth_year_after_this_year_is_refused():
    next_year = timezone.localdate().year + 1
    digit = 2 * ((next_year - 1900) // 100)
    number = f"001{digit}{next_year % 100:02d}012345"

    error = error_of(validators.validate_cccd_number, number)

    assert error.code == "cccd_future_year"
    assert str(next_year) in " ".join(error.messages)


def test_cccd_of_someone_born_this_year_is_accepted():
    year = timezone.localdate().year
    number = f"001{2 * ((year - 1900) // 100) + 1}{year % 100:02d}012345"

    assert validators.validate_cccd_number(number) == number


@pytest.mark.parametrize("digit", [4, 5, 6, 7, 8, 9])
def test_cccd_with_a_century_digit_past_2099_is_refused(digit):
    error = error_of(validators.validate_cccd_number, f"001{digit}00012345")

    assert error.code == "cccd_future_year"


# --- century, sex and birth year ----------------------------------------------------


@pytest.mark.parametrize(
    ("digit", "century_start"),
    [(0, 1900), (1, 1900), (2, 2000), (3, 2000), (4, 2100), (5, 2100),
     (6, 2200), (7, 2200), (8, 2300), (9, 2300)],
)  # fmt: skip
def test_century_digit_maps_to_its_century(digit, century_start):
    assert validators.cccd_century_start(digit) == century_start


@pytest.mark.parametrize(
    ("number", "sex", "year"),
    [
        ("001090012345", "male", 1990),
        ("001190012345", "female", 1990),
        ("001204012345", "male", 2004),
        ("001304012345", "female", 2004),
        ("001000012345", "male", 1900),
        ("001199012345", "female", 1999),
    ],
)
def test_sex_and_birth_year_are_read_from_digits_4_to_6(number, sex, year):
    assert validators.cccd_sex(number) == sex
    assert validators.cccd_birth_year(number) == year


@pytest.mark.parametrize("number", ["079204000123", "079304000123"])
def test_cccd_of_someone_born_in_2004_with_digit_2_or_3_is_accepted(number):
    assert validators.validate_cccd_number(number) == number
    validators.validate_cccd_matches_birth_date(number, datetime.date(2004, 2, 29))


def test_cccd_of_someone_born_in_2004_with_digit_0_is_refused_against_the_date_of_birth():
    error = error_of(
        validators.validate_cccd_matches_birth_date, "079004000123", datetime.date(2004, 2, 29)
    )

    assert error.code == "cccd_birth_year_mismatch"
    message = " ".join(error.messages)
    assert "1904" in message
    assert "2004" in message


def test_cccd_agreeing_with_the_date_of_birth_passes():
    validators.validate_cccd_matches_birth_date("001090012345", datetime.date(1990, 12, 31))


# --- old ID (CMND) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [("012345678", "012345678"), ("012345678901", "012345678901"), ("012 345 678", "012345678")],
)
def test_old_id_of_9_or_12_digits_is_accepted(typed, normalized):
    assert validators.validate_old_id_number(typed) == normalized


@pytest.mark.parametrize(
    ("number", "code", "expected_in_message"),
    [
        ("0123456789", "old_id_length", "10"),
        ("01234567", "old_id_length", "8"),
        ("0123456789012", "old_id_length", "13"),
        ("01234567X", "old_id_not_digits", "01234567X"),
        ("CMND12345", "old_id_not_digits", "CMND12345"),
    ],
)
def test_malformed_old_id_is_refused_with_a_precise_message(number, code, expected_in_message):
    error = error_of(validators.validate_old_id_number, number)

    assert error.code == code
    assert expected_in_message in " ".join(error.messages)


def test_old_id_in_full_width_digits_is_never_kept_as_typed():
    # An IME can type full-width digits; they must be refused or turned into 0-9.
    with contextlib.suppress(ValidationError):
        assert validators.validate_old_id_number("０１２３４５６７８").isascii()


# --- dates --------------------------------------------------------------------------


def test_date_of_birth_today_or_on_1_january_1900_is_accepted():
    validators.validate_date_of_birth(timezone.localdate())
    validators.validate_date_of_birth(datetime.date(1900, 1, 1))


def test_date_of_birth_in_the_future_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    error = error_of(validators.validate_date_of_birth, tomorrow)

    assert error.code == "date_of_birth_future"
    assert tomorrow.isoformat() in " ".join(error.messages)


def test_date_of_birth_before_1900_is_refused():
    error = error_of(validators.validate_date_of_birth, datetime.date(1899, 12, 31))

    assert error.code == "date_of_birth_too_old"
    assert "1899-12-31" in " ".join(error.messages)


def test_application_date_today_is_accepted():
    validators.validate_application_date(timezone.localdate())


def test_application_date_in_the_future_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    error = error_of(validators.validate_application_date, tomorrow)

    assert error.code == "application_date_future"
    assert tomorrow.isoformat() in " ".join(error.messages)


# --- rules between fields -----------------------------------------------------------


def test_consistent_identity_has_no_cross_errors():
    errors = validators.identity_cross_errors(
        cccd_number="001090012345",
        date_of_birth=datetime.date(1990, 5, 17),
        application_date=datetime.date(1990, 5, 17),
    )

    assert errors == {}


def test_partial_identity_has_no_cross_errors():
    assert validators.identity_cross_errors(cccd_number="001090012345") == {}
    assert validators.identity_cross_errors(application_date=datetime.date(2024, 1, 1)) == {}


def test_cccd_disagreeing_with_the_date_of_birth_is_reported_on_the_cccd_field():
    errors = validators.identity_cross_errors(
        cccd_number="001090012345", date_of_birth=datetime.date(1991, 1, 1)
    )

    assert set(errors) == {"cccd_number"}
    assert "1990" in errors["cccd_number"][0]
    assert "1991" in errors["cccd_number"][0]


def test_application_before_birth_is_reported_on_the_application_date_field():
    errors = validators.identity_cross_errors(
        date_of_birth=datetime.date(1990, 5, 17), application_date=datetime.date(1990, 5, 16)
    )

    assert set(errors) == {"application_date"}
    assert errors["application_date"][0]


def test_both_cross_errors_are_reported_together():
    errors = validators.identity_cross_errors(
        cccd_number="001090012345",
        date_of_birth=datetime.date(1995, 5, 17),
        application_date=datetime.date(1994, 1, 1),
    )

    assert set(errors) == {"cccd_number", "application_date"}


# --- translation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("func", "value", "kept_in_message"),
    [
        (validators.validate_cccd_number, "0010900123", "10"),
        (validators.validate_cccd_number, "00109001234A", "00109001234A"),
        (validators.validate_cccd_number, "003090012345", "003"),
        (validators.validate_old_id_number, "0123456789", "10"),
        (validators.validate_date_of_birth, datetime.date(1899, 12, 31), "1899-12-31"),
    ],
)
def test_messages_are_vietnamese_under_the_vi_language(func, value, kept_in_message):
    with override("en"):
        english = message_of(func, value)
    with override("vi"):
        vietnamese = message_of(func, value)

    assert vietnamese != english
    assert kept_in_message in vietnamese


def test_cross_field_message_is_vietnamese_under_the_vi_language():
    kwargs = {
        "date_of_birth": datetime.date(1990, 5, 17),
        "application_date": datetime.date(1990, 1, 1),
    }
    with override("en"):
        english = validators.identity_cross_errors(**kwargs)["application_date"][0]
    with override("vi"):
        vietnamese = validators.identity_cross_errors(**kwargs)["application_date"][0]

    assert vietnamese
    assert vietnamese != english
