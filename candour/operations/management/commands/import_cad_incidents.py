"""manage.py import_cad_incidents FILE: bring in the CAD's incidents, all or nothing."""

from candour.core.importing.command import ImportCommand
from candour.operations.importers import import_cad_incidents


class Command(ImportCommand):
    help = (
        "Import the CAD's incidents (layout: docs/feeds/operations.md); a bad row is named and nothing is "
        "written."
    )
    file_help = "the CAD incidents CSV file"
    importer = staticmethod(import_cad_incidents)
