"""Form fields the learning forms share."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from candour.people.models import Person


class PersonByStaffNumberField(forms.CharField):
    """A person found by staff number among those given; cleans to the Person (or None when optional).
    Only the people given can be found, so someone out of the user's scope gets the same answer as a
    number nobody has."""

    def __init__(
        self,
        *,
        people: QuerySet[Person],
        refused: str = "No one in your area has the staff number {number}",
        **kwargs,
    ):
        self.people = people
        self.refused = refused
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"class": "nhsuk-input--width-10", "spellcheck": "false"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        number = super().clean(value)
        if not number:
            return None
        person = self.people.filter(staff_number__iexact=number.strip()).first()
        if person is None:
            raise forms.ValidationError(self.refused.format(number=number.strip()))
        return person
