"""Records read models: paper custody exceptions, a record and its custody chain, and access alerts, each
through the reader's scope (a station's records by the station; a record with no station, such as a private
provider's, by trust-wide roles only). Anything out of scope is not found."""

from candour.records.queries.alerts import OPEN, REVIEWED, alert_for, alerts_for
from candour.records.queries.completeness import (
    Completeness,
    ElementRow,
    StationRow,
    completeness,
    month_starting,
    records_behind,
)
from candour.records.queries.custody import (
    NOT_RECEIVED,
    NOT_SCANNED,
    CustodyException,
    custody_chain,
    custody_exceptions,
    record_for,
)

__all__ = [
    "NOT_RECEIVED",
    "NOT_SCANNED",
    "OPEN",
    "REVIEWED",
    "Completeness",
    "CustodyException",
    "ElementRow",
    "StationRow",
    "alert_for",
    "alerts_for",
    "completeness",
    "custody_chain",
    "custody_exceptions",
    "month_starting",
    "record_for",
    "records_behind",
]
