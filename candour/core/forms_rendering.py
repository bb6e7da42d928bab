"""Turn Django bound fields into parameters for the NHS.UK design-system macros.

Templates call `form_field(form["name"])` (core/jinja2/components/form.jinja); that macro asks
`field_params` which component to use and with what, so every form looks and behaves the same.
"""

from __future__ import annotations

from django import forms

from candour.core.forms import DateInputWidget


def _label(field: forms.BoundField, as_heading: bool = False) -> dict:
    label = {"text": str(field.label)}
    if as_heading:
        label.update(isPageHeading=True, classes="nhsuk-label--l")
    return label


def _error(field: forms.BoundField) -> dict | None:
    return {"text": " ".join(str(e) for e in field.errors)} if field.errors else None


def _hint(field: forms.BoundField) -> dict | None:
    return {"text": str(field.help_text)} if field.help_text else None


def _choices(field: forms.BoundField, checked_key: str) -> list[dict]:
    value = field.value()
    selected = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
    return [
        {"value": str(choice_value), "text": str(choice_label), checked_key: str(choice_value) in selected}
        for choice_value, choice_label in field.field.choices
    ]


def field_params(field: forms.BoundField, *, as_heading: bool = False, classes: str = "") -> tuple[str, dict]:
    """Which design-system component renders this field, and its parameters."""
    widget = field.field.widget
    common = {"id": field.id_for_label or field.auto_id, "name": field.html_name, "hint": _hint(field)}
    error = _error(field)
    if error:
        common["errorMessage"] = error
    legend = {"text": str(field.label)}
    if as_heading:
        legend.update(isPageHeading=True, classes="nhsuk-fieldset__legend--l")

    if isinstance(widget, DateInputWidget):
        day, month, year = widget.parts_for(field.value())
        suffix_error = " nhsuk-input--error" if error else ""
        return "dateInput", common | {
            "id": field.auto_id,
            "fieldset": {"legend": legend},
            "items": [
                {
                    "id": f"{field.auto_id}_{part}",
                    "name": f"{field.html_name}_{part}",
                    "label": part.capitalize(),
                    "value": value,
                    "classes": f"nhsuk-input--width-{width}{suffix_error}",
                    "inputmode": "numeric",
                }
                for part, value, width in (("day", day, 2), ("month", month, 2), ("year", year, 4))
            ],
        }
    # CheckboxSelectMultiple is a RadioSelect subclass in Django 5, so it must be asked about first.
    # Radios and checkboxes take their ids from idPrefix; an id on the group would clash with the first input.
    grouped = {key: value for key, value in common.items() if key != "id"}
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes", grouped | {
            "idPrefix": field.auto_id,
            "fieldset": {"legend": legend},
            "items": _choices(field, "checked"),
        }
    if isinstance(widget, forms.RadioSelect):
        return "radios", grouped | {
            "idPrefix": field.auto_id,
            "fieldset": {"legend": legend},
            "items": _choices(field, "checked"),
        }
    if isinstance(widget, forms.CheckboxInput):
        return "checkboxes", grouped | {
            "idPrefix": field.auto_id,
            "items": [{"value": "on", "text": str(field.label), "checked": bool(field.value())}],
        }
    if isinstance(widget, forms.Select):
        return "select", common | {"label": _label(field, as_heading), "items": _choices(field, "selected")}
    if isinstance(widget, forms.Textarea):
        return "textarea", common | {
            "label": _label(field, as_heading),
            "value": field.value() or "",
            "rows": widget.attrs.get("rows", 6),
            "classes": classes,
        }
    if isinstance(widget, forms.PasswordInput):
        return "passwordInput", common | {
            "label": _label(field, as_heading),
            "autocomplete": widget.attrs.get("autocomplete", "current-password"),
            "classes": classes,
        }
    value = field.value()
    return "input", common | {
        "label": _label(field, as_heading),
        "type": getattr(widget, "input_type", "text"),
        "value": "" if value is None else str(value),
        "autocomplete": widget.attrs.get("autocomplete"),
        "inputmode": widget.attrs.get("inputmode"),
        "spellcheck": widget.attrs.get("spellcheck"),
        "classes": classes or widget.attrs.get("class", ""),
    }


def error_summary_items(form: forms.Form) -> list[dict]:
    """One link per error, pointing at the field it belongs to (non-field errors link to the form), in the
    order of the form's fields: errors are found in another order (a rule across fields is checked last)."""
    items = [{"text": str(error), "href": "#main-form"} for error in form.non_field_errors()]
    for name in form.fields:
        if name not in form.errors:
            continue
        field = form[name]
        target = f"{field.auto_id}_day" if isinstance(field.field.widget, DateInputWidget) else field.auto_id
        items.extend({"text": str(error), "href": f"#{target}"} for error in form.errors[name])
    return items
