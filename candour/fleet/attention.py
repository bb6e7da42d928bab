"""The fleet on the home page: for the fleet lead, equipment and vehicles overdue, equipment quarantined and
vehicles past their deep clean; for those who review them, bariatric waits beyond the limit not yet
reviewed. Each card leads to exactly the rows it counts."""

from django.urls import reverse
from django.utils import timezone

from candour.core.attention import AttentionItem, provider
from candour.fleet.access import RECORD_MAINTENANCE, REVIEW_BARIATRIC
from candour.fleet.queries import (
    DEFAULT_PERIOD,
    assets,
    bariatric_requests,
    overdue_assets,
    overdue_deep_cleans,
    since,
)
from candour.people.access import can


@provider
def fleet_to_put_right(user):
    """Assets past a due date, equipment quarantined, and vehicles overdue their deep clean."""
    if not can(user, RECORD_MAINTENANCE):
        return
    today = timezone.localdate()
    if overdue := overdue_assets(user, today).count():
        yield AttentionItem(
            "Vehicles and equipment overdue",
            "Past a service, test, examination or MOT date, or their usage: possibly unsafe.",
            reverse("fleet:list_overdue"),
            overdue,
            urgent=True,
        )
    if quarantined := assets(user, today, quarantined_only=True).count():
        yield AttentionItem(
            "Equipment quarantined",
            "Taken out of use until a passing result clears it.",
            f"{reverse('fleet:list_assets')}?show=quarantined",
            quarantined,
        )
    if unclean := overdue_deep_cleans(user, today).count():
        yield AttentionItem(
            "Vehicles overdue their deep clean",
            "No deep clean recorded within the trust's interval.",
            reverse("fleet:list_overdue_cleans"),
            unclean,
        )


@provider
def bariatric_waits_to_review(user):
    """Bariatric requests of the last year that waited beyond the limit and are not yet reviewed."""
    if not can(user, REVIEW_BARIATRIC):
        return
    from_day = since(timezone.localdate(), DEFAULT_PERIOD)
    waiting = bariatric_requests(user, timezone.now(), from_day=from_day, show="review").count()
    if waiting:
        yield AttentionItem(
            "Bariatric waits to review",
            "Requests that waited beyond the limit for a suitable resource on scene.",
            f"{reverse('fleet:list_bariatric_requests')}?months={DEFAULT_PERIOD}&show=review",
            waiting,
        )
