"""manage.py import_odometer_readings FILE: bring in vehicles' odometer readings, all or nothing."""

from candour.core.importing.command import ImportCommand
from candour.fleet.importers import import_odometer_readings


class Command(ImportCommand):
    help = (
        "Import vehicles' odometer readings (layout: docs/feeds/fleet.md); a bad row is named and nothing is "
        "written."
    )
    file_help = "the odometer readings CSV file"
    importer = staticmethod(import_odometer_readings)
