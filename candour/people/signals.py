"""What the people app announces. Apps above it listen rather than being called, so people never
imports them (DESIGN.md, seams)."""

from django.dispatch import Signal

# Sent after people are created or changed (job role, station, leaving), with kwarg `person_ids`: the ids,
# or None when any of them may have changed (a bulk import), so listeners reconcile everything.
people_changed = Signal()
