from candour.core.importing.command import ImportCommand
from candour.records.importers import import_custody_events


class Command(ImportCommand):
    help = "Import paper records' custody events from a CSV file (columns: candour/records/importers.py)."
    importer = staticmethod(import_custody_events)
