"""Every form renders as design-system components, with an error summary linking to each field."""

import datetime as dt

import pytest
from django import forms
from django.template import engines
from django.test import Client, override_settings
from django.urls import include, path

from candour.core.forms import DateField, bounded_text
from candour.core.forms_rendering import error_summary_items
from candour.people.models import OrgUnit


class IncidentForm(forms.Form):
    when = DateField(label="Date of the incident")
    what = bounded_text(label="What happened", max_length=50)
    where = forms.ChoiceField(
        label="Where", choices=[("", "Choose"), ("s", "Station")], widget=forms.RadioSelect
    )


def _render(form) -> str:
    template = engines["jinja2"].from_string(
        '{% from "components/form.jinja" import form_field, error_summary %}{{ error_summary(form) }}'
        "{% for name in ['when', 'what', 'where'] %}{{ form_field(form[name]) }}{% endfor %}"
    )
    return template.render({"form": form})


def test_valid_date_parts_make_a_date():
    form = IncidentForm(
        {"when_day": "3", "when_month": "11", "when_year": "2026", "what": "Fell", "where": "s"}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == dt.date(2026, 11, 3)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2026", "Enter a real date of the incident"),
        ("", "2", "2026", "Enter the day of the date of the incident"),
        ("a", "b", "2026", "as numbers"),
        ("1", "1", "2999", "must be today or in the past"),
    ],
)
def test_bad_dates_get_a_clear_message(day, month, year, message):
    form = IncidentForm({"when_day": day, "when_month": month, "when_year": year, "what": "x", "where": "s"})

    assert not form.is_valid()
    assert message in form.errors["when"][0]


def test_errors_render_as_a_summary_linking_to_each_field():
    html = _render(IncidentForm({"when_day": "31", "when_month": "2", "when_year": "2026", "what": "x" * 51}))

    assert "There is a problem" in html
    assert 'href="#id_when_day"' in html and 'href="#id_what"' in html and 'href="#id_where"' in html
    assert "What happened must be 50 characters or fewer" in html
    assert 'class="nhsuk-error-message"' in html
    assert 'value="31"' in html


class CheckedTogetherForm(IncidentForm):
    """A rule on the first field that is checked only after every field has been cleaned on its own."""

    def clean(self):
        data = super().clean()
        if data.get("what") == "nothing":
            self.add_error("when", "Give the date of something that happened")
        return data


def test_error_summary_lists_errors_in_the_order_of_the_fields():
    form = CheckedTogetherForm({"when_day": "1", "when_month": "2", "when_year": "2026", "what": "nothing"})
    form.add_error(None, "Something about the whole form")

    items = error_summary_items(form)

    assert [item["href"] for item in items] == ["#main-form", "#id_when_day", "#id_where"]


def test_script_in_text_is_shown_as_text():
    html = _render(IncidentForm({"what": "<script>alert(1)</script>"}))

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def _write_then_fail(request):
    OrgUnit.objects.create(kind=OrgUnit.Kind.TRUST, name="Half-written", code="HALF")
    raise RuntimeError("failed after writing")


urlpatterns = [path("half/", _write_then_fail), path("", include("candour.urls"))]
handler500 = "candour.core.views.server_error"


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.django_db(transaction=True)
def test_a_failed_request_leaves_nothing_half_written():
    response = Client(raise_request_exception=False).get("/half/")

    assert response.status_code == 500
    assert not OrgUnit.objects.filter(code="HALF").exists()
