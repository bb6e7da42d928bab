"""Learning demo: apprenticeships."""


def build(context) -> None:
    """Filled in as the apprenticeships part is built."""
