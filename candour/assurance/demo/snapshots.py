"""The demo's measure snapshots: every registered measure for the trust and each area, month by month over
the months the builder asked for (`seed_demo` asks for the chart span, `CANDOUR_CHART_MONTHS`), ending with
the demo's today. Runs last, after every other part has written the data its measures read."""

from candour.assurance.services.snapshots import months_ending, refresh_snapshots


def build(context) -> None:
    if context.snapshot_months:
        months = months_ending(context.today, context.snapshot_months)
        context.shared["assurance.snapshots"] = refresh_snapshots(months=months)
