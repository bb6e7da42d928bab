"""Times on staff entries; public ids for tasks and referrals; task titles and agencies' references
encrypted like the rest of a case (docs/adr/0019).

Encrypted text is sealed to its model, field and row (docs/adr/0021), so the plain columns are renamed
aside first and the encrypted ones made under their final names; each row is then sealed through its
instance, and the plain columns dropped."""

import uuid

from django.db import migrations, models

import candour.core.encryption

# (model, encrypted field, the plain column it replaces while the rows are copied, the plain column's length)
SEALED = (("Task", "title", "plain_title", 200), ("Referral", "their_reference", "plain_reference", 60))


def _give_public_ids(apps, schema_editor):
    for name in ("Task", "Referral"):
        model = apps.get_model("speakup", name)
        for row in model.objects.filter(public_id__isnull=True).only("pk"):
            row.public_id = uuid.uuid4()
            row.save(update_fields=["public_id"])


def _seal(apps, schema_editor):
    for model_name, sealed, plain, _ in SEALED:
        model = apps.get_model("speakup", model_name)
        for row in model.objects.exclude(**{plain: ""}):
            setattr(row, sealed, getattr(row, plain))
            row.save(update_fields=[sealed])


def _unseal(apps, schema_editor):
    for model_name, sealed, plain, length in SEALED:
        model = apps.get_model("speakup", model_name)
        for row in model.objects.exclude(**{sealed: ""}):
            setattr(row, plain, getattr(row, sealed)[:length])
            row.save(update_fields=[plain])


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
        migrations.RenameField(model_name="task", old_name="title", new_name="plain_title"),
        migrations.RenameField(model_name="referral", old_name="their_reference", new_name="plain_reference"),
        migrations.AddField(
            model_name="task",
            name="title",
            field=candour.core.encryption.EncryptedTextField(default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="referral",
            name="their_reference",
            field=candour.core.encryption.EncryptedTextField(blank=True),
        ),
        migrations.RunPython(_seal, _unseal),
        # A default for the plain columns only so that going back can add them again before filling them.
        migrations.AlterField(
            model_name="task", name="plain_title", field=models.CharField(default="", max_length=200)
        ),
        migrations.AlterField(
            model_name="referral",
            name="plain_reference",
            field=models.CharField(blank=True, default="", max_length=60),
        ),
        migrations.RemoveField(model_name="task", name="plain_title"),
        migrations.RemoveField(model_name="referral", name="plain_reference"),
    ]
