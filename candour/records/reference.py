"""The reference data every trust starts with: the default mandatory elements of a patient care record
(issue 13), as version 1 of its set. A trust's clinical audit lead publishes later versions
(`records.services.publish_element_set`)."""

import datetime as dt

PATIENT_CARE_RECORD = "patient_care_record"

DEFAULT_ELEMENTS = [
    {"code": "observations_two_sets", "label": "Two sets of observations"},
    {"code": "news2", "label": "NEWS2 score"},
    {"code": "pain_score", "label": "Pain score"},
    {"code": "safeguarding_question", "label": "Safeguarding question answered"},
    {"code": "capacity_consent", "label": "Capacity and consent recorded"},
    {"code": "medicines_given", "label": "Medicines given recorded"},
    {"code": "conveyance_decision", "label": "Conveyance decision and reason"},
    {"code": "handover_time", "label": "Handover time"},
    {"code": "nhs_number_or_reason", "label": "NHS number, or a reason why not"},
]
# In force for every record, however old.
DEFAULT_FROM = dt.date(2000, 1, 1)


def ensure_default_element_set(element_set_model) -> None:
    """Create version 1 of the patient care record's set if it is missing; never change one that is there."""
    element_set_model.objects.get_or_create(
        record_type=PATIENT_CARE_RECORD,
        version=1,
        defaults={"elements": DEFAULT_ELEMENTS, "effective_from": DEFAULT_FROM},
    )
