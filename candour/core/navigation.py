"""Role-based navigation. Each app registers its entries; the header shows those the user may use."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    allowed: Callable[[object], bool]
    order: int = 100


_entries: list[NavEntry] = []


def register(label: str, url_name: str, allowed: Callable[[object], bool], order: int = 100) -> None:
    if any(entry.url_name == url_name for entry in _entries):
        return
    _entries.append(NavEntry(label, url_name, allowed, order))
    _entries.sort(key=lambda entry: entry.order)


def items_for(request) -> list[dict]:
    """Header navigation items for this request's user, the current section marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for entry in _entries:
        if entry.allowed(user):
            href = reverse(entry.url_name)
            current = request.path == href or (href != "/" and request.path.startswith(href))
            items.append({"text": entry.label, "href": href, "current": current})
    return items
