"""Where a measure's process limits start again: recorded by the quality lead when a shift has lasted."""

from django.conf import settings
from django.db import models

from candour.core.base import BaseModel


class LimitRecalculation(BaseModel):
    """New process limits for one measure's chart of one unit (the trust or an area), from a month on.

    Per unit, as snapshots are: a shift in the trust's series need not be in an area's. Every chart of that
    series (the catalogue, the measure's page, reports, plans) reads it through `series_for_many`.
    """

    measure_key = models.CharField(max_length=120)
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+")
    from_month = models.DateField(help_text="The first day of the first month of the new limits.")
    reason = models.TextField(help_text="Why the process has changed: what happened when the shift began.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["measure_key", "unit", "from_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure_key", "unit", "from_month"], name="one_recalculation_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure_key} {self.unit_id} from {self.from_month:%Y-%m}"

    @property
    def month_label(self) -> str:
        return f"{self.from_month:%B %Y}"

    @property
    def access_unit(self):
        return self.unit
