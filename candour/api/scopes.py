"""What a key may do. Each feed the API takes is one scope to send; reading measures is one more, and reading
each file export another; reading is limited further by the units (and everything under them) chosen for
the key."""

from django.db import models


class KeyScope(models.TextChoices):
    SEND_TRAINING_RECORDS = "feeds.training_records", "Send training records"
    SEND_STAFF_ROSTER = "feeds.staff_roster", "Send the staff roster"
    SEND_CAD_INCIDENTS = "feeds.cad_incidents", "Send CAD incidents"
    SEND_CAD_CALL_LOG = "feeds.cad_call_log", "Send the CAD call log"
    SEND_RECORDER_INDEX = "feeds.recorder_index", "Send the recorder index"
    SEND_RECORD_INDEX = "feeds.record_index", "Send the patient record index"
    SEND_CUSTODY_EVENTS = "feeds.custody_events", "Send paper record custody events"
    SEND_RECORD_ACCESS_LOG = "feeds.record_access_log", "Send the patient record access log"
    SEND_EPCR_MEDICINES = "feeds.epcr_medicines", "Send the ePCR medicines export"
    READ_MEASURES = "measures.read", "Read measures for its units"
    READ_GUARDIAN_RETURN = "exports.guardian_return", "Read the freedom to speak up quarterly return"
    READ_TRAINING_COMPLIANCE = "exports.training_compliance", "Read training compliance by unit"
    SEND_ASSET_REGISTER = "feeds.asset_register", "Send the fleet's asset register"
    SEND_MAINTENANCE_HISTORY = "feeds.maintenance_history", "Send the fleet's maintenance history"
    SEND_ODOMETER_READINGS = "feeds.odometer_readings", "Send vehicles' odometer readings"
