"""Fleet services: the only code that writes the register, schedules, results, quarantines, vehicle checks
and defects; each is atomic and audited, and refuses bad input whole with a message naming the problem."""

from candour.fleet.services.bariatric import (
    Progress,
    record_bariatric_request,
    record_capability,
    record_partner,
    review_bariatric_request,
    update_bariatric_request,
)
from candour.fleet.services.checks import Answer, checklist_for, clear_defect, submit_vehicle_check
from candour.fleet.services.cleaning import (
    Element,
    Swab,
    clean_interval,
    record_clean,
    stars_for,
    start_deep_clean_due,
    submit_audit,
    target_percent,
)
from candour.fleet.services.maintenance import (
    HistoryApplied,
    Result,
    apply_recorded_results,
    quarantine_asset,
    record_result,
    record_usage,
    result_problems,
    usage_problem,
)
from candour.fleet.services.notices import action_notice, apply_notices_to, record_notice
from candour.fleet.services.register import (
    add_equipment,
    add_schedule,
    add_vehicle,
    first_due,
    loler_category_problem,
    loler_interval_problem,
    loler_months,
)

__all__ = [
    "Answer",
    "Element",
    "HistoryApplied",
    "Progress",
    "Result",
    "Swab",
    "action_notice",
    "add_equipment",
    "add_schedule",
    "add_vehicle",
    "apply_notices_to",
    "apply_recorded_results",
    "checklist_for",
    "clean_interval",
    "clear_defect",
    "first_due",
    "loler_category_problem",
    "loler_interval_problem",
    "loler_months",
    "quarantine_asset",
    "record_bariatric_request",
    "record_capability",
    "record_clean",
    "record_notice",
    "record_partner",
    "record_result",
    "record_usage",
    "result_problems",
    "review_bariatric_request",
    "stars_for",
    "start_deep_clean_due",
    "submit_audit",
    "submit_vehicle_check",
    "target_percent",
    "update_bariatric_request",
    "usage_problem",
]
