from candour.core.importing.command import ImportCommand
from candour.medicines.importers import import_patient_record_medicines


class Command(ImportCommand):
    help = (
        "Import the ePCR's medicines export CSV file and match it with the registers (see "
        "candour/medicines/importers.py for its columns)."
    )
    importer = staticmethod(import_patient_record_medicines)
