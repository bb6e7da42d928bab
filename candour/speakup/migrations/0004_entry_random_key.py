"""Case entries keyed at random instead of by a counter (docs/adr/0018).

A counter placed an anonymous reporter's message among dated entries: its id told when it arrived. The key
becomes a number drawn at random for each new entry, and every existing entry is given one too (the
corrections following the entries they correct).
"""

from django.db import migrations, models

import candour.speakup.models


def _draw_new_keys(apps, schema_editor):
    Entry = apps.get_model("speakup", "Entry")
    old = list(Entry.objects.values_list("pk", flat=True))
    taken = set(old)
    for was in old:
        now = candour.speakup.models.random_key()
        while now in taken:
            now = candour.speakup.models.random_key()
        taken.add(now)
        # Foreign keys are checked at commit, so an entry may move before the corrections that point at it.
        Entry.objects.filter(pk=was).update(id=now)
        Entry.objects.filter(corrects_id=was).update(corrects_id=now)


class Migration(migrations.Migration):
    dependencies = [
        ("speakup", "0003_anonymous_writes_held"),
    ]

    operations = [
        migrations.AlterField(
            model_name="entry",
            name="id",
            field=models.BigIntegerField(
                default=candour.speakup.models.random_key, editable=False, primary_key=True, serialize=False
            ),
        ),
        migrations.RunPython(_draw_new_keys, migrations.RunPython.noop),
    ]
