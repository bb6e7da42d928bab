"""The demo's measure snapshots: every registered measure for the trust and each area, month by month over
the chart span (`CANDOUR_CHART_MONTHS`) ending with the demo's today. Runs last, after every other part has
written the data its measures read."""

from django.conf import settings

from candour.assurance.services.snapshots import months_ending, refresh_snapshots


def build(context) -> None:
    months = months_ending(context.today, settings.CANDOUR_CHART_MONTHS)
    context.shared["assurance.snapshots"] = refresh_snapshots(months=months)
