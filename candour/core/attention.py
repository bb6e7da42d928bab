"""'What needs my attention': each app contributes items for the home page of the user in front of it."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class AttentionItem:
    """One card. `url` leads to the rows the card counts, filtered to exactly those."""

    title: str
    description: str
    url: str
    count: int | None = None
    urgent: bool = False
    link_text: str = "See them"

    def __post_init__(self):
        if not self.url:
            raise ValueError(
                f"The attention item {self.title!r} leads nowhere: give it the URL of what it counts."
            )


Provider = Callable[[object], Iterable[AttentionItem]]
_providers: list[Provider] = []


def and_more(count: int) -> str:
    """What follows the first of several things a card names: " and 2 more", or nothing for one."""
    return f" and {count - 1} more" if count > 1 else ""


def provider(func: Provider) -> Provider:
    """Register a function that returns the items one user should see."""
    if func not in _providers:
        _providers.append(func)
    return func


def items_for(user) -> list[AttentionItem]:
    """Everything every app wants this user to look at, urgent first."""
    items = [item for func in _providers for item in func(user)]
    return sorted(items, key=lambda item: not item.urgent)
