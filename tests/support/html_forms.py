"""Reading the POST forms of a rendered page, so a test can send each one back as a browser would."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PostForm:
    """A `<form method="post">`: where it posts, and the values a browser would send untouched."""

    action: str
    values: list[tuple[str, str]] = field(default_factory=list)
    has_csrf_token: bool = False

    def data(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for name, value in self.values:
            grouped.setdefault(name, []).append(value)
        return grouped


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PostForm] = []
        self._form: PostForm | None = None
        self._select: str | None = None
        self._select_first: tuple[str, str] | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self._submit_taken = False

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            if attributes.get("method", "get").lower() == "post":
                self._form = PostForm(action=attributes.get("action", ""))
                self._submit_taken = False
            return
        form = self._form
        if form is None:
            return
        name = attributes.get("name")
        if tag == "input" and name and "disabled" not in attributes:
            kind = attributes.get("type", "text").lower()
            if name == "csrfmiddlewaretoken":
                form.has_csrf_token = True
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    form.values.append((name, attributes.get("value", "on")))
            elif kind == "submit":
                self._take_submit(name, attributes.get("value", ""))
            elif kind != "file":
                form.values.append((name, attributes.get("value", "")))
        elif tag == "button" and attributes.get("type", "submit") == "submit" and name:
            self._take_submit(name, attributes.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            if self._select_first is None:
                self._select_first = (self._select, value)
            if "selected" in attributes:
                form.values.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def _take_submit(self, name: str, value: str) -> None:
        # A browser sends only the button that was pressed: the first one stands for it.
        if not self._submit_taken and self._form is not None:
            self._form.values.append((name, value))
            self._submit_taken = True

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first and self._form is not None:
                self._form.values.append(self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form.values.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def post_forms(html: str) -> list[PostForm]:
    """Every POST form on the page, in document order."""
    reader = _FormReader()
    reader.feed(html)
    return reader.forms
