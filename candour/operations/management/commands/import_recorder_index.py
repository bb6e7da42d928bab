"""manage.py import_recorder_index FILE: bring in the recorder's index, all or nothing, and reconcile."""

from candour.core.importing.command import ImportCommand
from candour.operations.call_importers import import_recorder_index


class Command(ImportCommand):
    help = (
        "Import the recorder's index (layout: docs/feeds/operations.md) and match its recordings to calls; "
        "a bad row is named and nothing is written."
    )
    file_help = "the recorder index CSV file"
    importer = staticmethod(import_recorder_index)
