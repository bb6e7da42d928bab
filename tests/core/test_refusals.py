"""One refusal: a service says no with Refused, naming the field to blame, and a form shows every reason."""

from django import forms

from candour.core.refusals import Refused, show_refusal


class DatesForm(forms.Form):
    opens_on = forms.CharField(required=False)
    closes_on = forms.CharField(required=False)


def _shown(refusal: Refused) -> dict:
    form = DatesForm({})
    form.is_valid()
    show_refusal(form, refusal)
    return form.errors


def test_a_refusal_is_shown_by_the_field_it_names_or_at_the_top():
    assert _shown(Refused("Choose a later date", field="closes_on")) == {"closes_on": ["Choose a later date"]}
    assert _shown(Refused("Someone changed this first", field="no_such_field")) == {
        "__all__": ["Someone changed this first"]
    }


def test_problems_gathered_by_field_are_each_shown_by_their_field():
    refusal = Refused.from_problems(
        {"opens_on": "Enter a date", "closes_on": ["Too early", "Not a working day"], None: "Check the plan"}
    )

    assert refusal.messages == ["Enter a date", "Too early", "Not a working day", "Check the plan"]
    assert _shown(refusal) == {
        "opens_on": ["Enter a date"],
        "closes_on": ["Too early", "Not a working day"],
        "__all__": ["Check the plan"],
    }


def test_a_list_or_a_single_message_is_shown_at_the_top():
    assert _shown(Refused.from_problems(["One", "Two"])) == {"__all__": ["One", "Two"]}
    assert _shown(Refused.from_problems("Only one")) == {"__all__": ["Only one"]}


def test_a_subclass_keeps_its_type_when_it_gathers_several():
    class PulseRefused(Refused):
        pass

    assert isinstance(PulseRefused.several([Refused("A"), Refused("B")]), PulseRefused)
