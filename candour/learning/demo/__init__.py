"""Learning's part of the demo trust: training records, briefings, then apprenticeships."""

from candour.learning.demo import apprenticeships, briefings, training


def build(context) -> None:
    training.build(context)
    briefings.build(context)
    apprenticeships.build(context)
