"""manage.py import_training FILE.csv: bring in the learning system's export of training records."""

from candour.core.importing.command import ImportCommand
from candour.learning.importers import import_training_records


class Command(ImportCommand):
    help = (
        "Import training records (CSV, UTF-8: staff_number, subject_code, completed_on, hours, provider) "
        "exported from the learning system; nothing is saved if any row is bad."
    )
    file_help = "the training records CSV file"
    importer = staticmethod(import_training_records)
