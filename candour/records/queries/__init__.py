"""Records read models: paper custody exceptions, a record and its custody chain, access alerts, records
matched to incidents, and a person's own records and reviews, each
through the reader's scope (a station's records by the station; a record with no station, such as a private
provider's, by trust-wide roles only). Anything out of scope is not found."""

from candour.records.queries.alerts import OPEN, REVIEWED, alert_for, alerts_for
from candour.records.queries.by_area import (
    AreaCompleteness,
    MonthRow,
    UnitRow,
    area_completeness,
    area_in_scope,
)
from candour.records.queries.completeness import (
    Completeness,
    ElementRow,
    StationRow,
    completeness,
    month_starting,
    records_behind,
)
from candour.records.queries.crew import CrewRow, crew_completeness, crew_records
from candour.records.queries.custody import (
    NOT_RECEIVED,
    NOT_SCANNED,
    CustodyException,
    custody_chain,
    custody_exceptions,
    record_for,
)
from candour.records.queries.elements import RecordType, element_set, record_types
from candour.records.queries.matching import (
    DRAFT,
    INCIDENT_KINDS,
    KINDS,
    NO_INCIDENT,
    NO_RECORD,
    SEVERAL_FINAL,
    MatchCount,
    judged_before,
    match_counts,
    records_of_incidents,
    unmatched,
)
from candour.records.queries.mine import (
    DRAFTS,
    INCOMPLETE,
    MyRecords,
    acknowledged_reviews,
    my_records,
    my_records_behind,
    my_review,
    review_choices,
    reviews_of,
    reviews_to_acknowledge,
)

__all__ = [
    "DRAFT",
    "DRAFTS",
    "INCIDENT_KINDS",
    "INCOMPLETE",
    "KINDS",
    "NOT_RECEIVED",
    "NOT_SCANNED",
    "NO_INCIDENT",
    "NO_RECORD",
    "OPEN",
    "REVIEWED",
    "SEVERAL_FINAL",
    "AreaCompleteness",
    "Completeness",
    "CrewRow",
    "CustodyException",
    "ElementRow",
    "MatchCount",
    "MonthRow",
    "MyRecords",
    "RecordType",
    "StationRow",
    "UnitRow",
    "acknowledged_reviews",
    "alert_for",
    "alerts_for",
    "area_completeness",
    "area_in_scope",
    "completeness",
    "crew_completeness",
    "crew_records",
    "custody_chain",
    "custody_exceptions",
    "element_set",
    "judged_before",
    "match_counts",
    "month_starting",
    "my_records",
    "my_records_behind",
    "my_review",
    "record_for",
    "record_types",
    "records_behind",
    "records_of_incidents",
    "review_choices",
    "reviews_of",
    "reviews_to_acknowledge",
    "unmatched",
]
