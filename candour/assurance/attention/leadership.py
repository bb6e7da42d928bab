"""Assurance attention for those who answer for the trust's quality (executives and the quality lead): open
regulatory breaches, risks above their appetite and the newest report. Each card leads to the list it
counts, filtered to exactly those rows."""

from django.urls import reverse
from django.utils import timezone

from candour.assurance.queries import framework as framework_queries
from candour.assurance.queries import reports as report_queries
from candour.assurance.queries import risks as risk_queries
from candour.core.attention import AttentionItem, and_more, provider
from candour.core.formatting import local_date
from candour.people.access import has_role
from candour.people.roles import Role

LEADERS = (Role.QUALITY_LEAD, Role.EXECUTIVE)


@provider
def open_breaches(user):
    """An open breach caps a rating at requires improvement until it is resolved: urgent."""
    if not has_role(user, *LEADERS):
        return
    found = framework_queries.open_breaches()
    if not found:
        return
    count = len(found)
    yield AttentionItem(
        "Open regulatory breaches" if count > 1 else "An open regulatory breach",
        f"{found[0].regulation}"
        + and_more(count)
        + ": each caps its key question at requires improvement until it is resolved.",
        reverse("assurance:list_breaches") + "?open=1",
        count,
        urgent=True,
    )


@provider
def risks_above_appetite(user):
    if not has_role(user, *LEADERS):
        return
    above = risk_queries.register_page(user, timezone.localdate(), above_appetite=True).risks
    if not above:
        return
    count = len(above)
    worst = above[0]
    yield AttentionItem(
        "Risks above their appetite" if count > 1 else "A risk above its appetite",
        f"{worst.reference} {worst.title} scores {worst.current.score} against a target of "
        f"{worst.target.score}" + (f"; {count - 1} more above their target." if count > 1 else "."),
        reverse("assurance:list_risks") + "?above_appetite=1",
        count,
    )


@provider
def newest_report(user):
    """Not a warning: where to read the latest picture the board will see."""
    if not has_role(user, *LEADERS):
        return
    run = report_queries.newest_ready_run(user)
    if run is None:
        return
    made = timezone.localdate(run.finished_at or run.created_at)
    yield AttentionItem(
        "Newest report",
        f"{report_queries.report_title(run)} for {run.unit.name}, made {local_date(made)}.",
        reverse("assurance:show_report_run", kwargs={"run_id": run.public_id}),
        link_text="Read it",
    )
