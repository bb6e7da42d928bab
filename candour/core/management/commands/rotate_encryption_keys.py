from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.db.models.functions import Cast

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
            rotated = self._rotate(model, field.attname, ring)
            self.stdout.write(f"{model._meta.label}.{field.name}: {rotated} values re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"All sensitive text is now under key {ring.primary_id!r}."))

    def _rotate(self, model, column: str, ring) -> int:
        """Rewrite, batch by batch, each value not already under the primary key."""
        rotated, last_pk = 0, 0
        while True:
            # Cast to a plain text field so we read the stored ciphertext, not the decrypted value.
            batch = list(
                model.objects.filter(pk__gt=last_pk)
                .exclude(**{f"{column}__isnull": True})
                .annotate(stored=Cast(column, models.TextField()))
                .order_by("pk")
                .values_list("pk", "stored")[:BATCH]
            )
            if not batch:
                return rotated
            with transaction.atomic():
                for pk, token in batch:
                    if token and ring.key_id_of(token) != ring.primary_id:
                        model.objects.filter(pk=pk).update(**{column: ring.decrypt(token)})
                        rotated += 1
            last_pk = batch[-1][0]
