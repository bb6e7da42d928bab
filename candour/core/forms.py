"""Form pieces every app shares: the design-system date input, limits on free text, choosing an object by
its public id, and telling a file to import that is plainly not CSV."""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

# Free text is bounded so that a paste of a whole document gets a message, not a 500 or a silent cut.
MAX_TEXT_LENGTH = 10_000


class DateInputWidget(forms.Widget):
    """Day, month and year boxes, as the NHS.UK date input pattern asks."""

    def value_from_datadict(self, data, files, name):
        parts = [data.get(f"{name}_{part}", "").strip() for part in ("day", "month", "year")]
        if not any(parts):
            return None
        return parts

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}_{part}" in data for part in ("day", "month", "year"))

    def parts_for(self, value) -> tuple[str, str, str]:
        if isinstance(value, dt.date):
            return str(value.day), str(value.month), str(value.year)
        if isinstance(value, list | tuple) and len(value) == 3:
            return tuple(str(part) for part in value)
        return "", "", ""


class DateField(forms.Field):
    """A date typed as three numbers. Refuses impossible dates, and future ones unless allowed."""

    widget = DateInputWidget

    def __init__(self, *, allow_future: bool = False, **kwargs):
        self.allow_future = allow_future
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, "", [], ()):
            return None
        if isinstance(value, dt.date):
            return value
        day, month, year = value
        label = str(self.label or "The date").lower()
        missing = [name for name, part in zip(("day", "month", "year"), value, strict=True) if not part]
        if missing:
            raise ValidationError(f"Enter the {' and '.join(missing)} of the {label}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(f"Enter the {label} as numbers, for example 27 3 2026")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"Enter a real {label}, for example 27 3 2026") from None

    def validate(self, value):
        super().validate(value)
        if value and not self.allow_future and value > timezone.localdate():
            raise ValidationError(f"The {str(self.label or 'date').lower()} must be today or in the past")


def bounded_text(*, label: str, max_length: int = MAX_TEXT_LENGTH, required: bool = True, **kwargs):
    """A free-text box with a clear message when empty or too long."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": kwargs.pop("rows", 6)}),
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
        **kwargs,
    )


# Someone or something not offered (out of scope, or gone since the page loaded) gets one plain answer.
NOT_OFFERED = "Choose one from the list"


class PublicIdChoiceField(forms.ChoiceField):
    """One of the given objects, chosen by public id; cleans to the object (None when left blank).

    Only what was offered can be chosen, so an object outside the person's scope is refused here too."""

    def __init__(self, *, objects, label_of=str, blank: str = "", refused: str = NOT_OFFERED, **kwargs):
        self.objects = {str(obj.public_id): obj for obj in objects}
        choices = [(key, label_of(obj)) for key, obj in self.objects.items()]
        kwargs.setdefault("error_messages", {}).setdefault("invalid_choice", refused)
        super().__init__(choices=[("", blank), *choices] if blank else choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None


class PublicIdMultipleChoiceField(forms.MultipleChoiceField):
    """Any of the given objects, as checkboxes, chosen by public id; cleans to a list in the order offered."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, objects, label_of=str, refused: str = NOT_OFFERED, **kwargs):
        self.objects = {str(obj.public_id): obj for obj in objects}
        kwargs.setdefault("error_messages", {}).setdefault("invalid_choice", refused)
        super().__init__(choices=[(key, label_of(obj)) for key, obj in self.objects.items()], **kwargs)

    def clean(self, value):
        chosen = set(super().clean(value))
        return [obj for key, obj in self.objects.items() if key in chosen]


# An uploaded file to import: refused when plainly not a CSV file, before it is kept or read as one.


def checked_csv_upload(upload):
    """A form's uploaded file to import, or the ValidationError that says what is wrong with it."""
    limit = settings.CANDOUR_UPLOAD_MAX_BYTES
    if not upload:
        raise ValidationError("Choose the CSV file to import")
    if upload.size > limit:
        raise ValidationError(too_large_message(limit))
    problem = not_a_csv_file(upload)
    if problem:
        raise ValidationError(problem)
    return upload


def too_large_message(limit: int) -> str:
    return f"The file must be smaller than {limit / (1024 * 1024):.0f} MB. Split it into smaller files."


# What a file's first bytes say it is, when it is not text (a workbook is a zip of XML).
_NOT_TEXT = (
    (b"PK\x03\x04", "an Excel workbook or a zip file"),
    (b"\xd0\xcf\x11\xe0", "an older Excel workbook (.xls)"),
    (b"%PDF", "a PDF"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
)
CSV_NAMES = (".csv", ".txt")


def not_a_csv_file(upload) -> str:
    """Why an upload is plainly not a CSV file, from its name and first bytes; empty if it may be one."""
    upload.seek(0)
    start = upload.read(4096)
    upload.seek(0)
    for signature, kind in _NOT_TEXT:
        if start.startswith(signature):
            return (
                f"The file is {kind}, not a CSV file. In your spreadsheet or learning system, save or "
                "export it as 'CSV UTF-8' and upload that"
            )
    if b"\x00" in start:
        return "The file is not a text file, so not a CSV file. Export it as 'CSV UTF-8' and upload that"
    if not upload.name.lower().endswith(CSV_NAMES):
        return "The file must be a CSV file, with a name ending .csv"
    return ""
