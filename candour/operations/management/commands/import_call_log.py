"""manage.py import_call_log FILE: bring in the CAD's call log, all or nothing, and reconcile it."""

from candour.core.importing.command import ImportCommand
from candour.operations.call_importers import import_call_log


class Command(ImportCommand):
    help = (
        "Import the CAD's call log (layout: docs/feeds/operations.md) and match its calls to recordings; "
        "a bad row is named and nothing is written."
    )
    file_help = "the CAD call log CSV file"
    importer = staticmethod(import_call_log)
