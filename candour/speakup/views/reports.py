"""Speak-up reports: the guardian's quarterly return (page and CSV) and the themes by area and month."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from candour.core import exports
from candour.core.decorators import read_only
from candour.people.access import scope_of
from candour.people.decorators import permission_required
from candour.speakup import reports
from candour.speakup.access import VIEW_REPORTS


@permission_required(VIEW_REPORTS)
@read_only
def show_guardian_return(request):
    quarters = reports.recent_quarters(timezone.localdate())
    chosen = reports.Quarter.parse(request.GET.get("quarter", ""))
    quarter = chosen if chosen in quarters else quarters[0]
    report = reports.guardian_return(scope_of(request.user, VIEW_REPORTS), quarter)
    if request.GET.get("format") == "csv":
        return _as_csv(report)
    return render(request, "speakup/show_guardian_return.jinja", {"report": report, "quarters": quarters})


def _as_csv(report: reports.GuardianReturn) -> HttpResponse:
    return exports.csv_response(f"freedom-to-speak-up-return-{report.quarter.slug}.csv", report.csv_rows())


@permission_required(VIEW_REPORTS)
@read_only
def show_themes(request):
    report = reports.themes(scope_of(request.user, VIEW_REPORTS), timezone.localdate())
    return render(request, "speakup/show_themes.jinja", {"report": report})
