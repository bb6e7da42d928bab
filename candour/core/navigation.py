"""Role-based navigation. Each app registers its entries; the header shows those the user may use, the
user's own work first (the quality lead's measures, plans and risks; the guardian's cases), then the links
everyone has, each group in registration order."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    allowed: Callable[[object], bool]
    order: int = 100
    own_work_of: Callable[[object], bool] | None = None


_entries: list[NavEntry] = []


def register(
    label: str,
    url_name: str,
    allowed: Callable[[object], bool],
    order: int = 100,
    *,
    own_work_of: Callable[[object], bool] | None = None,
) -> None:
    """`own_work_of(user)` says whether this entry is that user's own work, to be shown before the rest."""
    if any(entry.url_name == url_name for entry in _entries):
        return
    _entries.append(NavEntry(label, url_name, allowed, order, own_work_of))
    _entries.sort(key=lambda entry: entry.order)


def items_for(request) -> list[dict]:
    """Header navigation items for this request's user, the current section marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    allowed = [entry for entry in _entries if entry.allowed(user)]
    own = [entry for entry in allowed if entry.own_work_of is not None and entry.own_work_of(user)]
    items = []
    for entry in own + [entry for entry in allowed if entry not in own]:
        href = reverse(entry.url_name)
        current = request.path == href or (href != "/" and request.path.startswith(href))
        items.append({"text": entry.label, "href": href, "current": current})
    return items
