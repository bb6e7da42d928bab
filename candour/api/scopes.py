"""What a key may do. Each feed the API takes is one scope to send; reading measures is one more, and reading
each file export another; reading is limited further by the units (and everything under them) chosen for
the key."""

from django.db import models


class KeyScope(models.TextChoices):
    SEND_TRAINING_RECORDS = "feeds.training_records", "Send training records"
    SEND_STAFF_ROSTER = "feeds.staff_roster", "Send the staff roster"
    READ_MEASURES = "measures.read", "Read measures for its units"
    READ_GUARDIAN_RETURN = "exports.guardian_return", "Read the freedom to speak up quarterly return"
    READ_TRAINING_COMPLIANCE = "exports.training_compliance", "Read training compliance by unit"
