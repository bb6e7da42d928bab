"""NHS numbers: ten digits, the last a modulus 11 check digit over the first nine (STANDARDS.md §7).

People type them as they are printed ("943 476 5919"), so spaces and dashes are allowed on the way in;
only the ten digits are kept.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

LENGTH = 10
WEIGHTS = range(10, 1, -1)  # 10 for the first digit down to 2 for the ninth


def digits_of(value: str) -> str:
    """The number without the spaces and dashes people write in it."""
    return "".join(value.split()).replace("-", "")


def check_digit(first_nine: str) -> int | None:
    """The check digit the first nine digits call for, or None when no check digit can make them valid."""
    remainder = sum(int(digit) * weight for digit, weight in zip(first_nine, WEIGHTS, strict=True)) % 11
    check = 11 - remainder
    if check == 11:
        return 0
    return None if check == 10 else check


def is_valid(value: str) -> bool:
    digits = digits_of(value)
    if len(digits) != LENGTH or not digits.isascii() or not digits.isdigit():
        return False
    return check_digit(digits[:9]) == int(digits[9])


def validate(value: str) -> None:
    """Django validator: says what is wrong, in the words the NHS design system uses."""
    digits = digits_of(value)
    if not (digits.isascii() and digits.isdigit()):
        raise ValidationError("NHS number must only include numbers and spaces", code="not_digits")
    if len(digits) != LENGTH:
        raise ValidationError("NHS number must be 10 numbers", code="length")
    if not is_valid(digits):
        raise ValidationError(
            "Enter a valid NHS number. Check each number against the patient's records", code="check_digit"
        )


def formatted(value: str) -> str:
    """Printed in the usual 3-3-4 groups."""
    digits = digits_of(value)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


class NHSNumberField(forms.CharField):
    """A text box for an NHS number; cleans to the ten digits, or "" when left empty and optional."""

    default_validators = [validate]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update(inputmode="numeric", spellcheck="false", autocomplete="off")

    def to_python(self, value):
        return digits_of(super().to_python(value))
