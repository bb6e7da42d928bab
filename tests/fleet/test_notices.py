"""Field safety notices and recalls: a notice applies to every asset of its make and model in the trust,
those registered now and later, each tracked until it is actioned; its page counts actioned and
outstanding, each count leading to its rows; the asset page shows its outstanding notices."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.fleet import services
from candour.fleet.models import AffectedAsset, SafetyNotice
from candour.people.roles import Role
from tests.fleet.conftest import TODAY
from tests.support.factories import AreaFactory, StationFactory, TrustFactory, make_user


def _notice(fleet, *, by=None, trust=None, reference="FSN-2026-014", make="Ferno", model="Pegasus", **fields):
    fields.setdefault("issued_on", TODAY - dt.timedelta(days=10))
    return services.record_notice(
        by=by or fleet.lead,
        trust=trust or fleet.trust,
        reference=reference,
        title=fields.pop("title", "Wheel lock may slip"),
        make=make,
        model=model,
        action_required=fields.pop("action_required", "Fit the replacement wheel lock"),
        **fields,
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_notice_applies_to_every_asset_of_its_make_and_model_now_and_added_later(fleet):
    on_van = fleet.stretcher("STR-1", vehicle=fleet.vehicle())
    in_store = fleet.stretcher("STR-2", store=fleet.belton)
    fleet.defibrillator("DEF-1")
    notice = _notice(fleet, make="ferno ", model="PEGASUS")
    later = fleet.stretcher("STR-3")
    tags = set(notice.affected.values_list("asset__asset_tag", flat=True))
    assert tags == {on_van.asset_tag, in_store.asset_tag, later.asset_tag}
    assert AuditEvent.objects.filter(action="applied_safety_notice").count() == 1


def test_a_notice_does_not_reach_another_trusts_assets(fleet):
    other = StationFactory(parent=AreaFactory(parent=TrustFactory()))
    services.add_equipment(
        by=make_user(Role.FLEET_LEAD, other.parent.parent),
        kind="medical_device",
        make="Ferno",
        model="Pegasus",
        serial_number="SN-X",
        asset_tag="STR-X",
        store=other,
    )
    assert not _notice(fleet).affected.exists()


def test_a_make_and_model_with_no_assets_is_recorded_and_waits_for_them(fleet):
    notice = _notice(fleet, make="Stryker", model="Power-PRO")
    assert not notice.affected.exists()
    chair = services.add_equipment(
        by=fleet.lead,
        kind="lifting_equipment",
        make="Stryker",
        model="Power-PRO",
        serial_number="SN-9",
        asset_tag="STR-9",
        store=fleet.ashby,
        loler_category="lifts_people",
    )
    assert chair.notices.get().notice == notice


def test_a_reference_already_used_is_refused_and_nothing_is_written(fleet):
    _notice(fleet, title="Wheel lock may slip")
    with pytest.raises(Refused) as refused:
        _notice(fleet, reference="fsn-2026-014", make="Zoll", model="X Series")
    assert refused.value.field == "reference"
    assert "FSN-2026-014 is already used by the notice “Wheel lock may slip”" in refused.value.message
    assert SafetyNotice.objects.count() == 1


def test_the_same_reference_may_be_recorded_by_another_trust(fleet):
    _notice(fleet)
    other = TrustFactory()
    _notice(fleet, by=make_user(Role.FLEET_LEAD, other), trust=other)
    assert SafetyNotice.objects.count() == 2


def test_a_notice_issued_in_the_future_with_nothing_to_do_is_refused_naming_both(fleet):
    with pytest.raises(Refused) as refused:
        _notice(fleet, issued_on=TODAY + dt.timedelta(days=1), action_required=" ")
    assert {each.field for each in refused.value.each} == {"issued_on", "action_required"}
    assert not SafetyNotice.objects.exists()


def test_actioning_an_asset_records_who_when_and_what_once(fleet):
    fleet.stretcher("STR-1")
    affected = _notice(fleet).affected.get()
    services.action_notice(by=fleet.lead, affected=affected, actioned_on=TODAY, note="New lock fitted")
    affected.refresh_from_db()
    assert (affected.actioned_by, affected.actioned_on, affected.note) == (
        fleet.lead,
        TODAY,
        "New lock fitted",
    )
    with pytest.raises(Refused, match="already actioned on STR-1"):
        services.action_notice(by=fleet.lead, affected=affected, actioned_on=TODAY, note="Again")
    assert AuditEvent.objects.filter(action="actioned_safety_notice").count() == 1


@pytest.mark.parametrize(
    ("actioned_on", "note", "field"),
    [
        (TODAY + dt.timedelta(days=1), "Done", "actioned_on"),
        (TODAY - dt.timedelta(days=30), "Done", "actioned_on"),
        (TODAY, "  ", "note"),
    ],
    ids=["in the future", "before the notice was issued", "with no note"],
)
def test_an_action_that_cannot_be_right_is_refused_and_it_stays_outstanding(fleet, actioned_on, note, field):
    fleet.stretcher("STR-1")
    affected = _notice(fleet).affected.get()
    with pytest.raises(Refused) as refused:
        services.action_notice(by=fleet.lead, affected=affected, actioned_on=actioned_on, note=note)
    assert refused.value.field == field
    assert AffectedAsset.objects.outstanding().count() == 1


def test_the_notice_page_counts_actioned_and_outstanding_and_each_count_leads_to_its_rows(fleet):
    fleet.stretcher("STR-1")
    fleet.stretcher("STR-2")
    fleet.stretcher("STR-3", store=fleet.belton)
    notice = _notice(fleet)
    first = notice.affected.get(asset__asset_tag="STR-1")
    services.action_notice(by=fleet.lead, affected=first, actioned_on=TODAY, note="Done")
    page = reverse("fleet:show_notice", kwargs={"notice_id": notice.public_id})
    listing = _client(fleet.lead).get(reverse("fleet:list_notices")).content.decode()
    assert f'{page}?show=actioned">1<' in listing
    assert f'{page}?show=outstanding">2<' in listing
    outstanding = _client(fleet.lead).get(f"{page}?show=outstanding").content.decode()
    assert outstanding.count("data-counted-row") == 2
    assert "STR-1" not in outstanding
    actioned = _client(fleet.lead).get(f"{page}?show=actioned").content.decode()
    assert actioned.count("data-counted-row") == 1
    assert "STR-1" in actioned


def test_a_station_manager_counts_and_sees_only_their_stations_assets(fleet):
    fleet.stretcher("STR-1")
    fleet.stretcher("STR-2", store=fleet.belton)
    notice = _notice(fleet)
    page = _client(fleet.ashby_manager).get(
        reverse("fleet:show_notice", kwargs={"notice_id": notice.public_id})
    )
    html = page.content.decode()
    assert html.count("data-counted-row") == 1
    assert "STR-1" in html and "STR-2" not in html
    assert "Record it as actioned" not in html


def test_the_asset_page_shows_its_outstanding_notices_until_actioned(fleet):
    stretcher = fleet.stretcher("STR-1")
    affected = _notice(fleet).affected.get()
    url = reverse("fleet:show_asset", kwargs={"asset_id": stretcher.public_id})
    assert "FSN-2026-014" in _client(fleet.lead).get(url).content.decode()
    services.action_notice(by=fleet.lead, affected=affected, actioned_on=TODAY, note="Done")
    assert "FSN-2026-014" not in _client(fleet.lead).get(url).content.decode()


def _form(**fields) -> dict:
    return {
        "reference": "FSN-2026-014",
        "title": "Wheel lock may slip",
        "make": "Ferno",
        "model": "Pegasus",
        "action_required": "Fit the replacement wheel lock",
        "issued_on_day": "8",
        "issued_on_month": "11",
        "issued_on_year": "2026",
    } | fields


def test_the_fleet_lead_records_a_notice_and_is_told_when_nothing_matches(fleet):
    response = _client(fleet.lead).post(
        reverse("fleet:record_notice"), _form(model="Pegasus II"), follow=True
    )
    html = response.content.decode()
    assert "no Ferno Pegasus II is on the register" in html
    assert SafetyNotice.objects.get().recorded_by == fleet.lead


def test_a_reused_reference_on_the_form_is_shown_against_the_reference(fleet):
    _notice(fleet)
    response = _client(fleet.lead).post(reverse("fleet:record_notice"), _form(make="Zoll"))
    assert response.status_code == 200
    assert "FSN-2026-014 is already used" in response.content.decode()
    assert SafetyNotice.objects.count() == 1


def test_the_fleet_lead_actions_an_asset_from_the_notice_page(fleet):
    fleet.stretcher("STR-1")
    affected = _notice(fleet).affected.get()
    url = reverse("fleet:action_notice", kwargs={"affected_id": affected.public_id})
    _client(fleet.lead).post(
        url,
        {"actioned_on_day": "18", "actioned_on_month": "11", "actioned_on_year": "2026", "note": "Fitted"},
    )
    affected.refresh_from_db()
    assert affected.is_actioned and affected.note == "Fitted"


def test_a_station_manager_cannot_record_or_action_a_notice(fleet):
    fleet.stretcher("STR-1")
    affected = _notice(fleet).affected.get()
    client = _client(fleet.ashby_manager)
    assert client.get(reverse("fleet:record_notice")).status_code in (403, 404)
    assert client.get(
        reverse("fleet:action_notice", kwargs={"affected_id": affected.public_id})
    ).status_code in (
        403,
        404,
    )
