"""Speak-up use cases: the only code that writes concerns and case records. Each writes its audit event,
and a rule that stops a change raises `candour.core.refusals.Refused`.

This package is speakup's face to the rest of Candour (another app raises a concern through
`speakup.services.raise_concern`); each module holds one part of the work.
"""

# The vocabulary another app needs to raise a concern, so that it never imports speakup's models.
from candour.speakup.models import Behaviour, Identity, Kind, Route, Subject
from candour.speakup.services.casework import (
    ALLOWED_MOVES,
    CLOSURE_REASONS,
    CONVERSATION,
    CORRECTABLE,
    add_entry,
    add_task,
    add_team_member,
    change_status,
    close,
    complete_task,
    correct_entry,
    message_reporter,
    record_referral_outcome,
    refer,
    reopened_by_reporter,
    suggested_category,
    triage,
    viewed,
    viewed_together,
)
from candour.speakup.services.held import HeldConcern, write_held_anonymous
from candour.speakup.services.notices import (
    escalate_overdue_triage,
    notify_leads_of_new_concerns,
    remind_overdue_task_owners,
)
from candour.speakup.services.patterns import check_for_pattern, review_pattern
from candour.speakup.services.reporting import (
    TOO_MANY,
    PatientInput,
    Raised,
    anonymous_reporter_replies,
    answer_speak_up_again,
    answer_speak_up_again_anonymously,
    find_by_receipt,
    raise_anonymous_concern,
    raise_concern,
    reporter_replies,
    route_for,
)

__all__ = [
    "ALLOWED_MOVES",
    "CLOSURE_REASONS",
    "CONVERSATION",
    "CORRECTABLE",
    "TOO_MANY",
    "Behaviour",
    "HeldConcern",
    "Identity",
    "Kind",
    "PatientInput",
    "Raised",
    "Route",
    "Subject",
    "add_entry",
    "add_task",
    "add_team_member",
    "anonymous_reporter_replies",
    "answer_speak_up_again",
    "answer_speak_up_again_anonymously",
    "change_status",
    "check_for_pattern",
    "close",
    "complete_task",
    "correct_entry",
    "escalate_overdue_triage",
    "find_by_receipt",
    "message_reporter",
    "notify_leads_of_new_concerns",
    "raise_anonymous_concern",
    "raise_concern",
    "record_referral_outcome",
    "refer",
    "remind_overdue_task_owners",
    "reopened_by_reporter",
    "reporter_replies",
    "review_pattern",
    "route_for",
    "suggested_category",
    "triage",
    "viewed",
    "viewed_together",
    "write_held_anonymous",
]
