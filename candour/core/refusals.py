"""The one way a service says no, and the one way a page shows it.

Forms parse what was typed; services judge it. When a service will not do what was asked it raises
`Refused` with words for the person (and the form field to blame, when one is), inside its transaction,
so nothing is written. A view hands the call to `submit`, which puts the refusal on the form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django import forms

# What a service gathers as it checks a whole change (see Refused.from_problems).
Problems = Mapping[str | None, str | Sequence[str]] | Sequence[str] | str


class Refused(Exception):
    """A rule stops this change. `message` is shown to the person; `field` names the form field to blame."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.each: list[Refused] = [self]

    @classmethod
    def several(cls, refusals: Sequence[Refused]) -> Refused:
        """Every rule the change breaks at once, so the person can put them all right in one go."""
        first = refusals[0]
        combined = cls(first.message, field=first.field)
        combined.each = list(refusals)
        return combined

    @classmethod
    def from_problems(
        cls, problems: Mapping[str | None, str | Sequence[str]] | Sequence[str] | str
    ) -> Refused:
        """Problems gathered as a service checks a whole change: by field name (None for the form), as a
        list of messages, or one message."""
        if isinstance(problems, str):
            return cls(problems)
        if isinstance(problems, Mapping):
            found = [
                cls(message, field=name)
                for name, messages in problems.items()
                for message in ([messages] if isinstance(messages, str) else messages)
            ]
        else:
            found = [cls(message) for message in problems]
        return cls.several(found)

    # Django's ValidationError spells it `messages`; templates and tests read either.
    @property
    def messages(self) -> list[str]:
        return [refusal.message for refusal in self.each]

    def __str__(self) -> str:
        return self.message


def show_refusal(form: forms.Form, refusal: Refused) -> None:
    """Put the refusal on the form: by its field when the form has that field, otherwise at the top."""
    for each in refusal.each:
        form.add_error(each.field if each.field in form.fields else None, each.message)


def submit(request, form: forms.Form, write: Callable[[], Any]) -> Any:
    """On a valid POST, ask the service and give back what it wrote (True when it gives nothing back).
    None means nothing was done: the form was not sent, did not parse, or the service refused it, and
    the form now says why."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        done = write()
    except Refused as refusal:
        show_refusal(form, refusal)
        return None
    return True if done is None else done
