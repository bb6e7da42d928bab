"""Staff voice services: the only code that writes pulses, answers and "you said, we did". Leads' actions are
audited; answers are not, because an event naming who answered would undo their anonymity (ADR 0011).

An answer writes, in one transaction, a token (a keyed one-way hash of the pulse and the person, see
`tokens`) and a response holding only the pulse, the area and the month, with its answers. Nothing joins
the two: the token stops a second answer and says nothing about which response is whose.
"""

from candour.voice.services.answers import (
    AlreadyAnswered,
    AnswerRefused,
    GivenAnswers,
    PulseClosed,
    answer_pulse,
    has_answered,
    is_open,
    record_answers_in_bulk,
)
from candour.voice.services.changes import publish_change
from candour.voice.services.pulses import (
    CHOICES,
    MEASURE_KEY_LENGTH,
    QUESTION_LENGTH,
    PulseDraft,
    PulseRefused,
    QuestionDraft,
    change_close_date,
    close_pulse,
    create_pulse,
    describe_pulse,
    forget_tokens,
    pulse_unit_for,
    update_pulse,
    write_questions,
)

__all__ = [
    "CHOICES",
    "MEASURE_KEY_LENGTH",
    "QUESTION_LENGTH",
    "AlreadyAnswered",
    "AnswerRefused",
    "GivenAnswers",
    "PulseClosed",
    "PulseDraft",
    "PulseRefused",
    "QuestionDraft",
    "answer_pulse",
    "change_close_date",
    "close_pulse",
    "create_pulse",
    "describe_pulse",
    "forget_tokens",
    "has_answered",
    "is_open",
    "publish_change",
    "pulse_unit_for",
    "record_answers_in_bulk",
    "update_pulse",
    "write_questions",
]
