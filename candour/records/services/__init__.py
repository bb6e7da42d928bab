"""Records use cases: the only code that writes records' reference data, custody, alert reviews and record
reviews, each audited. The feeds themselves are written by `records.importers` (ADR 0023), which call these
for what follows from them."""

from candour.records.services.alerts import raise_alerts_for, refer_alert_to_hr, review_alert
from candour.records.services.elements import element_set_on, publish_element_set
from candour.records.services.records import mark_lost, reveal_nhs_number
from candour.records.services.reviews import acknowledge_review, send_review

__all__ = [
    "acknowledge_review",
    "element_set_on",
    "mark_lost",
    "publish_element_set",
    "raise_alerts_for",
    "refer_alert_to_hr",
    "reveal_nhs_number",
    "review_alert",
    "send_review",
]
