"""Staff voice queries: pulses for the person answering, pulses for leads, results, and "you said, we did".

A lead reaches a pulse when their role (running pulses, or reading results) covers its unit; someone who
reads results for some areas only reaches a trust's pulse through those areas, and sees only them. Anyone
else gets nothing, so a view answers 404 and never reveals that a pulse exists.
"""

from candour.voice.queries.answering import PulseForYou, pulse_for_respondent, pulses_for, questions_of
from candour.voice.queries.changes import changes_for, recent_changes_for
from candour.voice.queries.leading import (
    PulsePage,
    PulseRow,
    areas_of,
    audience_text,
    lead_areas,
    led_pulses,
    linkable_pulses,
    may_change,
    publishable_units,
    pulse_for_lead,
    pulse_page,
    pulse_rows,
    result_areas,
    status_of,
)
from candour.voice.queries.results import (
    TRUST_WIDE_LABEL,
    FreeText,
    Group,
    QuestionResults,
    Results,
    TrendPoint,
    results,
)

# What the pages for everyone can be narrowed to: what each of voice's home cards counts.
TO_ANSWER, RECENT = "to_answer", "recent"

__all__ = [
    "RECENT",
    "TO_ANSWER",
    "TRUST_WIDE_LABEL",
    "FreeText",
    "Group",
    "PulseForYou",
    "PulsePage",
    "PulseRow",
    "QuestionResults",
    "Results",
    "TrendPoint",
    "areas_of",
    "audience_text",
    "changes_for",
    "lead_areas",
    "led_pulses",
    "linkable_pulses",
    "may_change",
    "publishable_units",
    "pulse_for_lead",
    "pulse_for_respondent",
    "pulse_page",
    "pulse_rows",
    "pulses_for",
    "questions_of",
    "recent_changes_for",
    "result_areas",
    "results",
    "status_of",
]
