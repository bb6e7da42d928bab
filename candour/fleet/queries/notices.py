"""Field safety notices: each with how many of the user's assets have it actioned and outstanding, the rows
behind each count, and an asset's outstanding notices."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from candour.fleet.access import RECORD_MAINTENANCE
from candour.fleet.models import AffectedAsset, Asset, SafetyNotice
from candour.fleet.queries.overdue import fleet_scope
from candour.people.access import Scope, scope_of
from candour.people.models import OrgUnit

PER_PAGE = 50
SHOWN = ("actioned", "outstanding")
RELATED = ("asset", "asset__station", "asset__on_vehicle", "asset__store", "actioned_by")


def _trust_ids(scope: Scope) -> QuerySet:
    """The trusts the user's units are in (a notice is the trust's)."""
    ids = scope.unit_ids
    return OrgUnit.objects.filter(
        Q(pk__in=ids) | Q(children__pk__in=ids) | Q(children__children__pk__in=ids),
        kind=OrgUnit.Kind.TRUST,
    ).values("pk")


def _in_scope(scope: Scope) -> Q:
    return Q(affected__asset__station_id__in=scope.station_ids)


def notices(user) -> QuerySet[SafetyNotice]:
    """The notices of the user's trust, newest first, each counting the user's assets actioned and
    outstanding."""
    scope = fleet_scope(user)
    return (
        SafetyNotice.objects.filter(trust_id__in=_trust_ids(scope))
        .annotate(
            actioned=Count("affected", filter=_in_scope(scope) & Q(affected__actioned_on__isnull=False)),
            outstanding=Count("affected", filter=_in_scope(scope) & Q(affected__actioned_on__isnull=True)),
        )
        .order_by("-issued_on", "reference")
    )


def notice_for(user, notice_id) -> SafetyNotice | None:
    return notices(user).filter(public_id=notice_id).first()


@dataclass(frozen=True)
class NoticePage:
    notice: SafetyNotice
    shown: str
    rows: Page


def notice_page(user, notice: SafetyNotice, *, shown: str = "", page: str | None = None) -> NoticePage:
    """The assets the notice applies to that the user sees: all, or only the actioned or outstanding."""
    rows = AffectedAsset.objects.filter(
        notice=notice, asset__station_id__in=fleet_scope(user).station_ids
    ).select_related(*RELATED)
    shown = shown if shown in SHOWN else ""
    if shown:
        rows = rows.actioned() if shown == "actioned" else rows.outstanding()
    rows = rows.order_by("asset__station__name", "asset__asset_tag")
    return NoticePage(notice=notice, shown=shown, rows=Paginator(rows, PER_PAGE).get_page(page))


def affected_to_action(user, affected_id) -> AffectedAsset | None:
    """An asset under a notice that the user records maintenance for; None for anything else."""
    return (
        AffectedAsset.objects.filter(
            asset__station_id__in=scope_of(user, RECORD_MAINTENANCE).station_ids, public_id=affected_id
        )
        .select_related(
            "notice", "asset", "asset__station", "asset__on_vehicle", "asset__store", "actioned_by"
        )
        .first()
    )


def outstanding_notices(asset: Asset) -> list[AffectedAsset]:
    return list(asset.notices.outstanding().select_related("notice").order_by("notice__issued_on"))


def notice_trust(user) -> OrgUnit | None:
    """The trust whose notices the user records: one where they record maintenance trust-wide."""
    return OrgUnit.objects.filter(
        pk__in=scope_of(user, RECORD_MAINTENANCE).unit_ids, kind=OrgUnit.Kind.TRUST
    ).first()
