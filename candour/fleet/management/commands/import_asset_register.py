"""manage.py import_asset_register FILE: bring in the trust's asset register, all or nothing."""

from candour.core.importing.command import ImportCommand
from candour.fleet.importers import import_asset_register


class Command(ImportCommand):
    help = (
        "Import the trust's asset register (layout: docs/feeds/fleet.md); a bad row is named and nothing is "
        "written."
    )
    file_help = "the asset register CSV file (a spreadsheet's or EBME system's export)"
    importer = staticmethod(import_asset_register)
