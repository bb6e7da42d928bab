"""NHS numbers: the modulus 11 check digit (STANDARDS.md §7), and the form field other apps reuse."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from candour.core import nhs_number
from candour.core.nhs_number import NHSNumberField

VALID = ["9434765919", "6541003238", "4146515092", "4446394339"]
INVALID = ["4380590096", "3459124359"]


@pytest.mark.parametrize("number", VALID)
def test_nhs_number_published_valid_examples_pass(number):
    assert nhs_number.is_valid(number)


@pytest.mark.parametrize("number", INVALID)
def test_nhs_number_published_invalid_examples_fail(number):
    assert not nhs_number.is_valid(number)


def test_nhs_number_check_digit_of_eleven_is_zero():
    # A weighted sum divisible by 11 calls for a check of 11, which is written as 0.
    assert nhs_number.check_digit("000000000") == 0
    assert nhs_number.is_valid("0000000000")


def test_nhs_number_check_digit_of_ten_makes_the_number_invalid():
    first_nine = "000000006"  # 6 * 2 = 12; 12 mod 11 = 1; 11 - 1 = 10, which no single digit can be
    assert nhs_number.check_digit(first_nine) is None
    assert not any(nhs_number.is_valid(first_nine + str(last)) for last in range(10))


@pytest.mark.parametrize("typed", ["943 476 5919", " 943-476-5919 ", "943\t476 5919"])
def test_nhs_number_spaces_and_dashes_are_ignored(typed):
    assert nhs_number.is_valid(typed)
    assert nhs_number.digits_of(typed) == "9434765919"


# Digits from other scripts look like numbers to str.isdigit, but are not an NHS number.
FULL_WIDTH = "".join(chr(0xFF10 + int(digit)) for digit in "9434765919")


@pytest.mark.parametrize("typed", ["", "943476591", "94347659190", "943476591X", FULL_WIDTH])
def test_nhs_number_wrong_length_or_characters_fail(typed):
    assert not nhs_number.is_valid(typed)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("943 476 591A", "NHS number must only include numbers and spaces"),
        ("943 476 591", "NHS number must be 10 numbers"),
        ("4380590096", "Enter a valid NHS number"),
    ],
)
def test_nhs_number_validator_says_what_is_wrong(typed, message):
    with pytest.raises(ValidationError) as refused:
        nhs_number.validate(typed)

    assert message in refused.value.messages[0]


def test_nhs_number_is_formatted_in_groups():
    assert nhs_number.formatted("9434765919") == "943 476 5919"


class PatientForm(forms.Form):
    nhs_number = NHSNumberField(label="NHS number", required=False)


def test_nhs_number_field_cleans_to_ten_digits():
    form = PatientForm({"nhs_number": "943 476 5919"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["nhs_number"] == "9434765919"


def test_nhs_number_field_left_empty_is_allowed_when_optional():
    form = PatientForm({"nhs_number": "  "})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["nhs_number"] == ""


def test_nhs_number_field_gives_one_clear_message():
    form = PatientForm({"nhs_number": "4380590096"})

    assert not form.is_valid()
    assert form.errors["nhs_number"] == [
        "Enter a valid NHS number. Check each number against the patient's records"
    ]
