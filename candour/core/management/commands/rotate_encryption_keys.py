from django.core.management.base import BaseCommand
from django.db import transaction

from candour.core.encryption import encrypted_fields, keyring
from candour.core.keys import new_key

BATCH = 1000


class Command(BaseCommand):
    help = (
        "Re-encrypt all sensitive text with the first key in CANDOUR_ENCRYPTION_KEYS. "
        "Put a new key first in the list, run this, then remove the old key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key", metavar="KEY_ID", help="Print a new key entry with this id, and exit"
        )

    def handle(self, *args, new_key_id: str | None = None, **options):
        new_key_id = new_key_id or options.get("new_key")
        if new_key_id:
            self.stdout.write(new_key(new_key_id))
            return
        ring = keyring()
        for model, field in encrypted_fields():
            rotated = self._rotate(model, field, ring)
            self.stdout.write(f"{model._meta.label}.{field.name}: {rotated} values re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"All sensitive text is now under key {ring.primary_id!r}."))

    def _rotate(self, model, field, ring) -> int:
        """Rewrite, batch by batch, each value not already under the primary key, sealed again to its row."""
        rows = model._base_manager.exclude(**{f"{field.attname}__isnull": True}).order_by("pk")
        rotated, last_pk = 0, None
        while batch := list((rows if last_pk is None else rows.filter(pk__gt=last_pk))[:BATCH]):
            with transaction.atomic():
                for instance in batch:
                    token = field.stored(instance)
                    if token and ring.key_id_of(token) != ring.primary_id:
                        resealed = field.reseal(instance, getattr(instance, field.attname))
                        model._base_manager.filter(pk=instance.pk).update(**{field.attname: resealed})
                        rotated += 1
            last_pk = batch[-1].pk
        return rotated
