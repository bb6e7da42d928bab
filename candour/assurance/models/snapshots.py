"""Measure values kept per unit and month, so pages and reports read a few rows instead of recomputing."""

from django.db import models


class MeasureSnapshotQuerySet(models.QuerySet):
    def series(self, measure_key: str, unit) -> "MeasureSnapshotQuerySet":
        return self.filter(measure_key=measure_key, unit=unit).order_by("month")


class MeasureSnapshot(models.Model):
    """One registered measure's value for one organisation unit in one calendar month.

    Closed months are computed once; the current month is recomputed by the scheduler until it closes.
    """

    measure_key = models.CharField(max_length=120)
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month measured.")
    value = models.FloatField(null=True)
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    computed_at = models.DateTimeField()

    objects = MeasureSnapshotQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measure_key", "unit", "month"], name="one_snapshot_per_unit_month"
            ),
        ]
        indexes = [models.Index(fields=["unit", "month"])]

    def __str__(self) -> str:
        return f"{self.measure_key} {self.unit_id} {self.month:%Y-%m}: {self.value}"
