"""An index to find where each register part's balance last stood at zero (candour.medicines.lots). Creating
an index does not rebuild the table on SQLite, so the append-only triggers stand (test_append_only)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('medicines', '0007_onward_reports'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='registerentry',
            index=models.Index(fields=['part', 'balance_after', 'sequence'], name='entry_part_balance'),
        ),
    ]
