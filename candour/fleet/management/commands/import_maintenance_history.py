"""manage.py import_maintenance_history FILE: bring in the maintenance history, all or nothing."""

from candour.core.importing.command import ImportCommand
from candour.fleet.importers import import_maintenance_history


class Command(ImportCommand):
    help = (
        "Import the maintenance history (layout: docs/feeds/fleet.md); a bad row is named and nothing is "
        "written."
    )
    file_help = "the maintenance history CSV file"
    importer = staticmethod(import_maintenance_history)
