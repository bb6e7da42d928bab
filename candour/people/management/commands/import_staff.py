"""manage.py import_staff FILE.csv: bring in the staff roster exported from the HR system."""

from candour.core.importing.command import ImportCommand
from candour.people.importers import import_staff_roster


class Command(ImportCommand):
    help = (
        "Import the staff roster CSV (UTF-8) exported from the HR system; nothing is saved if any row is bad."
    )
    file_help = "the roster CSV file"
    importer = staticmethod(import_staff_roster)
