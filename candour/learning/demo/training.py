"""Learning demo: training."""


def build(context) -> None:
    """Filled in as the training part is built."""
