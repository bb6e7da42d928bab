from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def from_the_briefing(apps, schema_editor):
    """Everyone in an audience so far was there from publication, with the briefing's own deadline."""
    BriefingAudience = apps.get_model("learning", "BriefingAudience")
    Briefing = apps.get_model("learning", "Briefing")
    briefing = Briefing.objects.filter(pk=OuterRef("briefing_id"))
    BriefingAudience.objects.update(
        joined_on=Subquery(briefing.values("published_on")[:1]),
        due_on=Subquery(briefing.values("acknowledge_by")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [("learning", "0004_training_reminders_from_the_compliance_pages")]

    operations = [
        migrations.AddField(
            model_name="briefingaudience",
            name="joined_on",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="briefingaudience",
            name="due_on",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(from_the_briefing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="briefingaudience",
            name="joined_on",
            field=models.DateField(help_text="The day it reached them: publication, or when they joined"),
        ),
        migrations.AlterField(
            model_name="briefingaudience",
            name="due_on",
            field=models.DateField(help_text="Their acknowledge-by date"),
        ),
    ]
