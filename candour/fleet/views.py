"""Fleet pages: what is overdue by station and the rows behind each number, a vehicle's and an asset's
page, recording a maintenance result (the fleet lead) and quarantining an asset (the fleet lead and
station managers), and the crews' daily vehicle check (made for a phone) with the defects it raises.
A vehicle, asset or station outside the user's scope is a 404."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from candour.core import suppression
from candour.core.decorators import read_only
from candour.core.refusals import submit
from candour.fleet import queries, services
from candour.fleet.access import (
    AUDIT_CLEANLINESS,
    CHECK_VEHICLES,
    QUARANTINE_ASSETS,
    RECORD_BARIATRIC,
    RECORD_MAINTENANCE,
    REVIEW_BARIATRIC,
    VIEW_BARIATRIC,
    VIEW_FLEET,
)
from candour.fleet.forms import (
    ActionNoticeForm,
    AuditForm,
    BariatricRequestForm,
    CapabilityForm,
    CapabilitySearchForm,
    CleanForm,
    ClearDefectForm,
    NoticeForm,
    PartnerForm,
    QuarantineForm,
    ResultForm,
    ReviewForm,
    VehicleCheckForm,
)
from candour.fleet.models import VehicleStatus, bariatric_load_kg, bariatric_review_after
from candour.people.access import can
from candour.people.decorators import permission_required

PER_PAGE = 50


def _station(request):
    """The station asked for in ?station=, which must be one of the user's; None when none is asked."""
    station_id = request.GET.get("station")
    if not station_id:
        return None
    try:
        station = queries.station_in_scope(request.user, station_id)
    except (ValueError, ValidationError):
        station = None
    if station is None:
        raise Http404
    return station


def _page(request, rows):
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


def _query(station, **more) -> str:
    """The filter kept on the pagination links."""
    parts = {"station": station.public_id} if station else {}
    parts |= {key: value for key, value in more.items() if value}
    return "&".join(f"{key}={value}" for key, value in parts.items())


@permission_required(VIEW_FLEET)
@read_only
def show_overdue(request):
    today = timezone.localdate()
    return render(
        request,
        "fleet/show_overdue.jinja",
        {
            "summary": queries.overdue_by_station(request.user, today),
            "may_record": can(request.user, RECORD_MAINTENANCE),
            "may_check": can(request.user, CHECK_VEHICLES),
        },
    )


@permission_required(VIEW_FLEET)
@read_only
def list_overdue(request):
    station = _station(request)
    today = timezone.localdate()
    rows = queries.overdue_assets(request.user, today, station=station)
    return render(
        request,
        "fleet/list_overdue.jinja",
        {"station": station, "rows": _page(request, rows), "today": today, "query": _query(station)},
    )


@permission_required(VIEW_FLEET)
@read_only
def list_vehicles(request):
    station = _station(request)
    flagged_only = request.GET.get("show") == "flagged"
    rows = queries.vehicles(request.user, timezone.localdate(), station=station, flagged_only=flagged_only)
    return render(
        request,
        "fleet/list_vehicles.jinja",
        {
            "station": station,
            "flagged_only": flagged_only,
            "rows": _page(request, rows),
            "query": _query(station, show="flagged" if flagged_only else ""),
        },
    )


@permission_required(VIEW_FLEET)
@read_only
def list_assets(request):
    station = _station(request)
    quarantined_only = request.GET.get("show") == "quarantined"
    rows = queries.assets(
        request.user, timezone.localdate(), station=station, quarantined_only=quarantined_only
    )
    return render(
        request,
        "fleet/list_assets.jinja",
        {
            "station": station,
            "quarantined_only": quarantined_only,
            "rows": _page(request, rows),
            "query": _query(station, show="quarantined" if quarantined_only else ""),
        },
    )


@permission_required(VIEW_FLEET)
@read_only
def show_vehicle(request, vehicle_id):
    vehicle = queries.vehicle_for(request.user, vehicle_id)
    if vehicle is None:
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "fleet/show_vehicle.jinja",
        {
            "page": queries.vehicle_page(vehicle, today),
            "today": today,
            "may_clean": can(request.user, CHECK_VEHICLES, vehicle),
            **_may(request, vehicle.asset),
        },
    )


@permission_required(VIEW_FLEET)
@read_only
def show_asset(request, asset_id):
    asset = queries.asset_for(request.user, asset_id)
    if asset is None:
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "fleet/show_asset.jinja",
        {
            "page": queries.asset_page(asset, today, page=request.GET.get("page")),
            "notices": queries.outstanding_notices(asset),
            "today": today,
            **_may(request, asset),
        },
    )


def _may(request, asset) -> dict:
    return {
        "may_record": can(request.user, RECORD_MAINTENANCE, asset),
        "may_quarantine": can(request.user, QUARANTINE_ASSETS, asset) and asset.kind != "vehicle",
    }


@permission_required(RECORD_MAINTENANCE)
def record_result(request):
    initial = {}
    if asset_id := request.GET.get("asset"):
        try:
            asset = queries.asset_for(request.user, asset_id)
        except (ValueError, ValidationError):
            asset = None
        if asset is not None:
            initial["asset_tag"] = asset.asset_tag
    form = ResultForm(request.POST or None, initial=initial)
    recorded = submit(request, form, lambda: services.record_result(by=request.user, result=form.result()))
    if recorded:
        asset = recorded.asset
        if asset.is_quarantined and recorded.danger_to_people:
            messages.warning(request, f"{asset.asset_tag} is out of service: {asset.quarantine_reason}")
        else:
            messages.success(
                request, f"{recorded.schedule.get_kind_display()} recorded for {asset.asset_tag}"
            )
        return redirect("fleet:show_asset", asset_id=asset.public_id)
    return render(request, "fleet/record_result.jinja", {"form": form})


@permission_required(QUARANTINE_ASSETS)
def quarantine_asset(request, asset_id):
    asset = queries.asset_for(request.user, asset_id)
    if asset is None or not can(request.user, QUARANTINE_ASSETS, asset) or asset.kind == "vehicle":
        raise Http404
    kinds = [(schedule.kind, schedule.get_kind_display()) for schedule in asset.schedules.order_by("kind")]
    form = QuarantineForm(request.POST or None, kinds=kinds)
    done = submit(
        request,
        form,
        lambda: services.quarantine_asset(
            by=request.user,
            asset=asset,
            reason=form.cleaned_data["reason"],
            clears_with=form.cleaned_data["clears_with"],
        ),
    )
    if done:
        messages.success(request, f"{asset.asset_tag} is quarantined: it is out of service")
        return redirect("fleet:show_asset", asset_id=asset.public_id)
    return render(request, "fleet/quarantine_asset.jinja", {"form": form, "asset": asset})


# The vehicle daily inspection


@permission_required(CHECK_VEHICLES)
@read_only
def list_vehicle_checks(request):
    today = timezone.localdate()
    return render(
        request,
        "fleet/list_vehicle_checks.jinja",
        {"vehicles": queries.vehicles_to_check(request.user, today), "today": today},
    )


# Proof per shift: each vehicle's shifts with and without a completed check, by station and month


def _month(request, today):
    month = queries.month_asked(request.GET.get("month"), today)
    if month is None:
        raise Http404
    return month


def _month_context(request, month, today, station=None, **query) -> dict:
    return {
        "month": month,
        "months": queries.months_offered(today),
        "complete": queries.is_complete(month, today),
        "month_query": f"month={month.start:%Y-%m}",
        "query": _query(station, month=f"{month.start:%Y-%m}", **query),
    }


@permission_required(VIEW_FLEET)
@read_only
def show_shift_checks(request):
    today = timezone.localdate()
    month = _month(request, today)
    rows = queries.shifts_by_station(request.user, month, timezone.now())
    return render(
        request,
        "fleet/show_shift_checks.jinja",
        {
            "rows": rows,
            "day_starts": settings.CANDOUR_FLEET_DAY_SHIFT_STARTS,
            "night_starts": settings.CANDOUR_FLEET_NIGHT_SHIFT_STARTS,
            **_month_context(request, month, today),
        },
    )


@permission_required(VIEW_FLEET)
@read_only
def show_station_shifts(request):
    station = _station(request)
    if station is None:
        raise Http404
    today = timezone.localdate()
    month = _month(request, today)
    rows = queries.shifts_at_station(request.user, station, month, timezone.now())
    return render(
        request,
        "fleet/show_station_shifts.jinja",
        {"station": station, "rows": rows, **_month_context(request, month, today)},
    )


@permission_required(VIEW_FLEET)
@read_only
def list_shifts(request):
    station = _station(request)
    vehicle = None
    if vehicle_id := request.GET.get("vehicle"):
        try:
            vehicle = queries.vehicle_in_scope(request.user, vehicle_id)
        except (ValueError, ValidationError):
            vehicle = None
        if vehicle is None:
            raise Http404
    shift = request.GET.get("shift", "")
    show = request.GET.get("show", "")
    if shift not in ("", "day", "night") or show not in queries.SHIFT_VIEWS:
        raise Http404
    today = timezone.localdate()
    month = _month(request, today)
    rows = queries.shift_rows(
        request.user, month, timezone.now(), station=station, vehicle=vehicle, shift=shift, show=show
    )
    return render(
        request,
        "fleet/list_shifts.jinja",
        {
            "station": station,
            "vehicle": vehicle,
            "shift": shift,
            "title": queries.SHIFT_VIEWS[show],
            "rows": _page(request, rows),
            **_month_context(
                request,
                month,
                today,
                station,
                vehicle=vehicle.public_id if vehicle else "",
                shift=shift,
                show=show,
            ),
        },
    )


@permission_required(CHECK_VEHICLES)
def check_vehicle(request, vehicle_id):
    vehicle = queries.vehicle_to_check(request.user, vehicle_id)
    if vehicle is None:
        raise Http404
    today = timezone.localdate()
    form = VehicleCheckForm(request.POST or None, items=services.checklist_for(vehicle))
    check = submit(
        request,
        form,
        lambda: services.submit_vehicle_check(
            by=request.user, vehicle=vehicle, shift=form.cleaned_data["shift"], answers=form.answers()
        ),
    )
    if check:
        vehicle.refresh_from_db()
        raised = check.defects.count()
        said = f"{vehicle.call_sign}'s {check.get_shift_display().lower()} check is sent"
        if raised:
            said += f", with {raised} defect{'s' if raised != 1 else ''} for the fleet team"
        if vehicle.status == VehicleStatus.OFF_ROAD:
            messages.warning(request, f"{said}. {vehicle.call_sign} is off road: do not use it.")
        else:
            messages.success(request, said)
        return redirect("fleet:list_vehicle_checks")
    return render(
        request,
        "fleet/check_vehicle.jinja",
        {"vehicle": vehicle, "form": form, "page": queries.vehicle_page(vehicle, today), "today": today},
    )


@permission_required(RECORD_MAINTENANCE)
def clear_defect(request, defect_id):
    defect = queries.defect_to_clear(request.user, defect_id)
    if defect is None:
        raise Http404
    form = ClearDefectForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: services.clear_defect(by=request.user, defect=defect, how=form.cleaned_data["how"]),
    ):
        messages.success(request, f"The defect on {defect.vehicle.call_sign} is cleared")
        return redirect("fleet:show_vehicle", vehicle_id=defect.vehicle.public_id)
    return render(request, "fleet/clear_defect.jinja", {"form": form, "defect": defect})


# Field safety notices and recalls


@permission_required(VIEW_FLEET)
@read_only
def list_notices(request):
    return render(
        request,
        "fleet/list_notices.jinja",
        {
            "rows": _page(request, queries.notices(request.user)),
            "may_record": queries.notice_trust(request.user) is not None,
        },
    )


@permission_required(RECORD_MAINTENANCE)
def record_notice(request):
    trust = queries.notice_trust(request.user)
    if trust is None:
        raise Http404
    form = NoticeForm(request.POST or None)
    notice = submit(
        request, form, lambda: services.record_notice(by=request.user, trust=trust, **form.cleaned_data)
    )
    if notice:
        applied = notice.affected.count()
        if applied:
            messages.success(
                request,
                f"{notice.reference} is recorded: it applies to {applied} asset{'s' if applied != 1 else ''}",
            )
        else:
            messages.warning(
                request,
                f"{notice.reference} is recorded, but no {notice.make} {notice.model} is on the register: "
                "check the make and model. It will apply to any added later.",
            )
        return redirect("fleet:show_notice", notice_id=notice.public_id)
    return render(request, "fleet/record_notice.jinja", {"form": form})


@permission_required(VIEW_FLEET)
@read_only
def show_notice(request, notice_id):
    try:
        notice = queries.notice_for(request.user, notice_id)
    except (ValueError, ValidationError):
        notice = None
    if notice is None:
        raise Http404
    page = queries.notice_page(
        request.user, notice, shown=request.GET.get("show", ""), page=request.GET.get("page")
    )
    return render(
        request,
        "fleet/show_notice.jinja",
        {
            "page": page,
            "query": _query(None, show=page.shown),
            "may_action": can(request.user, RECORD_MAINTENANCE),
        },
    )


@permission_required(RECORD_MAINTENANCE)
def action_notice(request, affected_id):
    affected = queries.affected_to_action(request.user, affected_id)
    if affected is None:
        raise Http404
    form = ActionNoticeForm(request.POST or None, initial={"actioned_on": timezone.localdate()})
    if submit(
        request,
        form,
        lambda: services.action_notice(by=request.user, affected=affected, **form.cleaned_data),
    ):
        messages.success(request, f"{affected.notice.reference} is actioned on {affected.asset.asset_tag}")
        return redirect("fleet:show_notice", notice_id=affected.notice.public_id)
    return render(request, "fleet/action_notice.jinja", {"form": form, "affected": affected})


# Cleanliness


@permission_required(CHECK_VEHICLES)
def record_clean(request, vehicle_id):
    vehicle = queries.vehicle_to_check(request.user, vehicle_id)
    if vehicle is None:
        raise Http404
    now = timezone.localtime()
    form = CleanForm(
        request.POST or None, initial={"done_on": now.date(), "done_time": now.strftime("%H:%M")}
    )
    clean = submit(
        request,
        form,
        lambda: services.record_clean(
            by=request.user,
            vehicle=vehicle,
            clean_type=form.cleaned_data["clean_type"],
            done_at=form.done_at(),
            note=form.cleaned_data["note"],
        ),
    )
    if clean:
        messages.success(request, f"{clean.get_clean_type_display()} of {vehicle.call_sign} is recorded")
        if can(request.user, VIEW_FLEET, vehicle):
            return redirect("fleet:show_vehicle", vehicle_id=vehicle.public_id)
        return redirect("fleet:list_vehicle_checks")
    return render(
        request,
        "fleet/record_clean.jinja",
        {"vehicle": vehicle, "form": form, "cleans": queries.cleans_due(vehicle, timezone.now())},
    )


@permission_required(VIEW_FLEET)
@read_only
def list_overdue_cleans(request):
    station = _station(request)
    today = timezone.localdate()
    rows = queries.overdue_deep_cleans(request.user, today, station=station)
    return render(
        request,
        "fleet/list_overdue_cleans.jinja",
        {"station": station, "rows": _page(request, rows), "today": today, "query": _query(station)},
    )


@permission_required(VIEW_FLEET)
@read_only
def list_audits(request):
    station = _station(request)
    return render(
        request,
        "fleet/list_audits.jinja",
        {
            "station": station,
            "rows": _page(request, queries.audits(request.user, station=station)),
            "query": _query(station),
            "may_audit": can(request.user, AUDIT_CLEANLINESS),
        },
    )


@permission_required(AUDIT_CLEANLINESS)
def record_audit(request):
    stations = list(
        queries.stations_of(request.user).filter(pk__in=queries.audit_scope(request.user).unit_ids)
    )
    vehicles = list(
        queries.vehicles(request.user, timezone.localdate()).filter(
            station_id__in=queries.audit_scope(request.user).unit_ids
        )
    )
    places = [(f"station:{station.public_id}", f"{station.name} station") for station in stations]
    places += [
        (f"vehicle:{vehicle.public_id}", f"{vehicle.call_sign} ({vehicle.station.name})")
        for vehicle in vehicles
    ]
    form = AuditForm(request.POST or None, places=places, initial={"audited_on": timezone.localdate()})

    def write():
        kind, _, public_id = form.cleaned_data["where"].partition(":")
        station = next((s for s in stations if kind == "station" and str(s.public_id) == public_id), None)
        vehicle = next((v for v in vehicles if kind == "vehicle" and str(v.public_id) == public_id), None)
        return services.submit_audit(
            by=request.user,
            station=station or (vehicle.station if vehicle else None),
            vehicle=vehicle,
            functional_risk=form.cleaned_data["functional_risk"],
            audited_on=form.cleaned_data["audited_on"],
            elements=form.elements(),
            swabs=form.swabs(),
        )

    found = submit(request, form, write)
    if found:
        messages.success(
            request,
            f"{found} is submitted: {found.score_percent}%, {found.stars} of 5 stars",
        )
        return redirect(f"{reverse('fleet:list_audits')}?station={found.station.public_id}")
    return render(request, "fleet/record_audit.jinja", {"form": form})


# Bariatric provision


def _area(request):
    """The area asked for in ?area=, which must hold one of the user's stations; None when none is asked."""
    area_id = request.GET.get("area")
    if not area_id:
        return None
    try:
        area = queries.area_in_scope(request.user, area_id)
    except (ValueError, ValidationError):
        area = None
    if area is None:
        raise Http404
    return area


def _months(request) -> int:
    try:
        months = int(request.GET.get("months", queries.DEFAULT_PERIOD))
    except ValueError:
        months = queries.DEFAULT_PERIOD
    return months if months in queries.PERIODS else queries.DEFAULT_PERIOD


def _area_query(area, **more) -> str:
    return _query(None, area=area.public_id if area else "", **more)


def _limits() -> dict:
    return {
        "load_kg": bariatric_load_kg(),
        "review_minutes": int(bariatric_review_after().total_seconds() // 60),
        "threshold": suppression.threshold(),
    }


@permission_required(VIEW_BARIATRIC)
@read_only
def show_bariatric_provision(request):
    months = _months(request)
    provision = queries.provision_by_area(request.user, timezone.now(), timezone.localdate(), months=months)
    return render(
        request,
        "fleet/show_bariatric_provision.jinja",
        {
            "provision": provision,
            "flagged": len(
                queries.flagged_without_request(request.user, timezone.localdate(), months=months)
            ),
            "partners": queries.partners(request.user),
            "periods": queries.PERIODS,
            "may_record": can(request.user, RECORD_BARIATRIC),
            "may_add_partner": queries.notice_trust(request.user) is not None,
            **_limits(),
        },
    )


@permission_required(VIEW_BARIATRIC)
@read_only
def list_capability(request):
    area = _area(request)
    form = CapabilitySearchForm(request.GET or None)
    weight = width = None
    if form.is_bound and form.is_valid():
        weight, width = form.cleaned_data["weight_kg"], form.cleaned_data["width_cm"]
    rows = queries.capability_register(
        request.user, timezone.localdate(), area=area, weight_kg=weight, width_cm=width
    )
    return render(
        request,
        "fleet/list_capability.jinja",
        {
            "area": area,
            "form": form,
            "rows": _page(request, rows),
            "states": queries.LOLER_STATES,
            "query": _area_query(area, weight_kg=weight, width_cm=width),
            **_limits(),
        },
    )


@permission_required(VIEW_BARIATRIC)
@read_only
def list_bariatric_vehicles(request):
    area = _area(request)
    shown = request.GET.get("show", "")
    ready = {"ready": True, "not_ready": False}.get(shown)
    rows = queries.bariatric_vehicles(request.user, timezone.localdate(), area=area, ready=ready)
    return render(
        request,
        "fleet/list_bariatric_vehicles.jinja",
        {
            "area": area,
            "ready": ready,
            "rows": _page(request, rows),
            "states": queries.LOLER_STATES,
            "query": _area_query(area, show=shown if ready is not None else ""),
            **_limits(),
        },
    )


@permission_required(VIEW_BARIATRIC)
@read_only
def list_bariatric_requests(request):
    area = _area(request)
    months = _months(request)
    show = request.GET.get("show", "")
    show = show if show in queries.REQUEST_VIEWS else ""
    from_day = queries.since(timezone.localdate(), months)
    rows = queries.bariatric_requests(request.user, timezone.now(), area=area, from_day=from_day, show=show)
    return render(
        request,
        "fleet/list_bariatric_requests.jinja",
        {
            "area": area,
            "title": queries.REQUEST_VIEWS[show],
            "from_day": from_day,
            "rows": _page(request, rows),
            "query": _area_query(area, months=months, show=show),
            "may_record": can(request.user, RECORD_BARIATRIC),
            "may_review": can(request.user, REVIEW_BARIATRIC),
            **_limits(),
        },
    )


@permission_required(VIEW_BARIATRIC)
@read_only
def list_flagged_incidents(request):
    months = _months(request)
    today = timezone.localdate()
    rows = queries.flagged_without_request(request.user, today, months=months)
    return render(
        request,
        "fleet/list_flagged_incidents.jinja",
        {
            "rows": _page(request, rows),
            "from_day": queries.since(today, months),
            "query": f"months={months}",
            "may_record": can(request.user, RECORD_BARIATRIC),
        },
    )


@permission_required(RECORD_BARIATRIC)
def record_bariatric_request(request):
    stations = list(queries.recording_stations(request.user).select_related("parent__parent"))
    if not stations:
        raise Http404
    vehicles, partners = queries.resources_for(stations[0].trust)
    initial = {}
    incident_id = request.GET.get("incident")
    if incident_id and (flagged := queries.flagged_incident(request.user, incident_id)):
        connected = timezone.localtime(flagged.call_connected)
        initial = {
            "station": str(flagged.station.public_id),
            "incident_reference": flagged.incident_id,
            "requested_on": connected.date(),
            "requested_time": connected.strftime("%H:%M"),
        }
    form = BariatricRequestForm(
        request.POST or None, stations=stations, vehicles=vehicles, partners=partners, initial=initial
    )
    found = submit(
        request,
        form,
        lambda: services.record_bariatric_request(
            by=request.user,
            station=form.cleaned_data["station"],
            incident_reference=form.cleaned_data["incident_reference"],
            requested_at=form.moment("requested_at"),
            progress=form.progress(),
        ),
    )
    if found:
        messages.success(
            request, f"The bariatric request for incident {found.incident_reference} is recorded"
        )
        return redirect("fleet:list_bariatric_requests")
    return render(request, "fleet/record_bariatric_request.jinja", {"form": form, "found": None, **_limits()})


@permission_required(RECORD_BARIATRIC)
def update_bariatric_request(request, bariatric_request_id):
    found = queries.request_to_record(request.user, bariatric_request_id)
    if found is None:
        raise Http404
    vehicles, partners = queries.resources_for(found.trust)
    form = BariatricRequestForm(
        request.POST or None,
        vehicles=vehicles,
        partners=partners,
        initial=BariatricRequestForm.initial_for(found),
    )
    if submit(
        request,
        form,
        lambda: services.update_bariatric_request(by=request.user, request=found, progress=form.progress()),
    ):
        messages.success(request, f"The bariatric request for incident {found.incident_reference} is updated")
        return redirect("fleet:list_bariatric_requests")
    return render(
        request, "fleet/record_bariatric_request.jinja", {"form": form, "found": found, **_limits()}
    )


@permission_required(REVIEW_BARIATRIC)
def review_bariatric_request(request, bariatric_request_id):
    found = queries.request_to_review(request.user, bariatric_request_id)
    if found is None:
        raise Http404
    form = ReviewForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: services.review_bariatric_request(
            by=request.user, request=found, note=form.cleaned_data["note"]
        ),
    ):
        messages.success(request, f"The review of incident {found.incident_reference}'s wait is recorded")
        return redirect(f"{reverse('fleet:list_bariatric_requests')}?show=review")
    return render(
        request, "fleet/review_bariatric_request.jinja", {"form": form, "found": found, **_limits()}
    )


@permission_required(RECORD_MAINTENANCE)
def record_partner(request):
    trust = queries.notice_trust(request.user)
    if trust is None:
        raise Http404
    form = PartnerForm(request.POST or None)
    partner = submit(
        request, form, lambda: services.record_partner(by=request.user, trust=trust, **form.cleaned_data)
    )
    if partner:
        messages.success(request, f"{partner.name} is recorded as a partner provider")
        return redirect("fleet:show_bariatric_provision")
    return render(request, "fleet/record_partner.jinja", {"form": form})


@permission_required(RECORD_MAINTENANCE)
def record_capability(request, asset_id):
    asset = queries.asset_for(request.user, asset_id)
    if asset is None or not can(request.user, RECORD_MAINTENANCE, asset):
        raise Http404
    form = CapabilityForm(
        request.POST or None,
        initial={
            "safe_working_load_kg": asset.safe_working_load_kg,
            "max_patient_width_cm": asset.max_patient_width_cm,
        },
    )
    if submit(
        request, form, lambda: services.record_capability(by=request.user, asset=asset, **form.cleaned_data)
    ):
        messages.success(request, f"What {asset.asset_tag} can take is recorded")
        return redirect("fleet:show_asset", asset_id=asset.public_id)
    return render(request, "fleet/record_capability.jinja", {"form": form, "asset": asset, **_limits()})
