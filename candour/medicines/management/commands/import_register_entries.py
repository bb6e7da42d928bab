from candour.core.importing.command import ImportCommand
from candour.medicines.register_importers import import_register_entries


class Command(ImportCommand):
    help = (
        "Import controlled drugs register lines from another system, checked as Candour checks an entry, "
        "all or nothing (columns: docs/feeds/medicines.md)."
    )
    importer = staticmethod(import_register_entries)
