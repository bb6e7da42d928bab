"""Safeguarding children at each level and information governance were published twice: under their own
names and again per training subject (docs/adr/0027). Learning now publishes them once, under their own
names; every stored reference to a per-subject key moves to the kept one. Where both are already held for
the same thing (a snapshot of the same unit and month, a binding to the same statement), the two came from
the same computation, so the per-subject copy is dropped."""

from django.db import migrations

RENAMED = {
    **{f"learning.compliance.sg-children-{level}": f"learning.safeguarding_children_l{level}_compliance" for level in range(1, 6)},
    "learning.compliance.cstf-information-governance": "learning.information_governance_compliance",
}

# Model name -> the other fields that, with the key, may hold only one row.
UNIQUE_WITH = {
    "MeasureSnapshot": ("unit_id", "month"),
    "MeasureBinding": ("quality_statement_id",),
    "ThemeMeasure": ("theme_id",),
    "LimitRecalculation": ("unit_id", "from_month"),
    "EvidenceLink": None,
    "Action": None,
}


def move_to_kept_keys(apps, schema_editor):
    for name, together in UNIQUE_WITH.items():
        model = apps.get_model("assurance", name)
        for removed, kept in RENAMED.items():
            rows = model.objects.filter(measure_key=removed)
            if together:
                held = set(model.objects.filter(measure_key=kept).values_list(*together))
                duplicates = [row.pk for row in rows if tuple(getattr(row, field) for field in together) in held]
                model.objects.filter(pk__in=duplicates).delete()
            rows.update(measure_key=kept)


class Migration(migrations.Migration):
    dependencies = [("assurance", "0004_limit_recalculations")]

    # Going back leaves the kept keys: the per-subject ones would be registered again and fill themselves.
    operations = [migrations.RunPython(move_to_kept_keys, migrations.RunPython.noop)]
