"""Stock checks and discrepancies as people read them, through the reader's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from candour.medicines.access import VIEW_REGISTERS
from candour.medicines.models import Discrepancy, OnwardReport, StockCheck
from candour.people.access import scope_of


def stock_check_for(user, public_id) -> StockCheck | None:
    return (
        StockCheck.objects.filter(
            public_id=public_id, premises__unit_id__in=scope_of(user, VIEW_REGISTERS).unit_ids
        )
        .select_related("premises__unit", "counted_by")
        .first()
    )


def counts_of(check: StockCheck) -> list:
    return list(check.counts.select_related("part__drug", "discrepancy"))


def discrepancy_for(user, public_id) -> Discrepancy | None:
    return (
        Discrepancy.objects.filter(
            public_id=public_id, count__part__premises__unit_id__in=scope_of(user, VIEW_REGISTERS).unit_ids
        )
        .select_related("count__part__drug", "count__part__premises__unit", "count__stock_check__counted_by")
        .first()
    )


def recent_checks_of(premises, *, limit: int = 10) -> QuerySet[StockCheck]:
    return StockCheck.objects.filter(premises=premises).select_related("counted_by")[:limit]


def open_discrepancies_of(premises) -> QuerySet[Discrepancy]:
    return Discrepancy.objects.filter(
        count__part__premises=premises, status=Discrepancy.Status.OPEN
    ).select_related("count__part__drug", "count__stock_check")


def onward_reports_of(discrepancy: Discrepancy) -> list[OnwardReport]:
    return list(discrepancy.onward_reports.select_related("recorded_by__person"))


def onward_report_for(user, public_id) -> OnwardReport | None:
    return (
        OnwardReport.objects.filter(
            public_id=public_id,
            discrepancy__count__part__premises__unit_id__in=scope_of(user, VIEW_REGISTERS).unit_ids,
        )
        .select_related("discrepancy__count__part__drug", "discrepancy__count__part__premises__unit")
        .first()
    )
