from candour.core.importing.command import ImportCommand
from candour.records.importers import import_record_index


class Command(ImportCommand):
    help = "Import the ePCR's record index CSV file (see candour/records/importers.py for its columns)."
    importer = staticmethod(import_record_index)
