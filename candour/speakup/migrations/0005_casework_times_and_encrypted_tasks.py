"""Times on staff entries; public ids for tasks and referrals; task titles and agencies' references
encrypted like the rest of a case (docs/adr/0019).

Existing plain text is copied into a new encrypted column and the plain column dropped, so nothing is ever
read back from ciphertext that was never written."""

import uuid

from django.db import migrations, models

import candour.core.encryption


def _give_public_ids(apps, schema_editor):
    for name in ("Task", "Referral"):
        model = apps.get_model("speakup", name)
        for row in model.objects.filter(public_id__isnull=True).only("pk"):
            row.public_id = uuid.uuid4()
            row.save(update_fields=["public_id"])


def _encrypt(model_name: str, plain: str, sealed: str):
    def copy(apps, schema_editor):
        model = apps.get_model("speakup", model_name)
        for row in model.objects.exclude(**{plain: ""}).only("pk", plain):
            setattr(row, sealed, getattr(row, plain))
            row.save(update_fields=[sealed])

    return copy


def _decrypt(model_name: str, plain: str, sealed: str):
    def copy(apps, schema_editor):
        model = apps.get_model("speakup", model_name)
        for row in model.objects.exclude(**{sealed: ""}).only("pk", sealed):
            setattr(row, plain, getattr(row, sealed)[: model._meta.get_field(plain).max_length])
            row.save(update_fields=[plain])

    return copy


class Migration(migrations.Migration):
    dependencies = [("speakup", "0004_entry_random_key")]

    operations = [
        migrations.AddField(
            model_name="entry", name="recorded_at", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="task", name="public_id", field=models.UUIDField(editable=False, null=True)
        ),
        migrations.AddField(
            model_name="referral", name="public_id", field=models.UUIDField(editable=False, null=True)
        ),
        migrations.RunPython(_give_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="task",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="referral",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="task",
            name="sealed_title",
            field=candour.core.encryption.EncryptedTextField(default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="referral",
            name="sealed_reference",
            field=candour.core.encryption.EncryptedTextField(blank=True),
        ),
        migrations.RunPython(
            _encrypt("Task", "title", "sealed_title"), _decrypt("Task", "title", "sealed_title")
        ),
        migrations.RunPython(
            _encrypt("Referral", "their_reference", "sealed_reference"),
            _decrypt("Referral", "their_reference", "sealed_reference"),
        ),
        # A default for the plain column only so that going back can add it again before filling it.
        migrations.AlterField(
            model_name="task", name="title", field=models.CharField(default="", max_length=200)
        ),
        migrations.RemoveField(model_name="task", name="title"),
        migrations.RemoveField(model_name="referral", name="their_reference"),
        migrations.RenameField(model_name="task", old_name="sealed_title", new_name="title"),
        migrations.RenameField(
            model_name="referral", old_name="sealed_reference", new_name="their_reference"
        ),
    ]
