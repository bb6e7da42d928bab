"""Learning demo: briefings."""


def build(context) -> None:
    """Filled in as the briefings part is built."""
