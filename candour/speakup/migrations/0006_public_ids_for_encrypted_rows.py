"""Public ids for the rows that hold encrypted text and had none (tasks and referrals got theirs in 0005):
their encrypted text is bound to the row by that id (docs/adr/0021). Added empty, filled one random id per
row, then made unique."""

import uuid

from django.db import migrations, models

MODELS = ("patientdetails", "entry")


def give_ids(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("speakup", name)
        rows = list(model.objects.only("pk"))
        for row in rows:
            row.public_id = uuid.uuid4()
        model.objects.bulk_update(rows, ["public_id"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("speakup", "0005_casework_times_and_encrypted_tasks")]

    operations = [
        *(
            migrations.AddField(model_name=name, name="public_id", field=models.UUIDField(null=True))
            for name in MODELS
        ),
        migrations.RunPython(give_ids, migrations.RunPython.noop),
        *(
            migrations.AlterField(
                model_name=name,
                name="public_id",
                field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
            )
            for name in MODELS
        ),
    ]
