"""People pages: allowed, forbidden, and out of scope for each."""

import re

from django.urls import reverse

from candour.core import audit
from candour.people.roles import Role
from tests.people.pages import without_tokens
from tests.support.factories import AreaFactory, PersonFactory, StationFactory

PEOPLE = reverse("people:list_people")
ORGANISATION = reverse("people:show_organisation")
AUDIT_LOG = reverse("people:list_audit_events")


def _person_url(person) -> str:
    return reverse("people:show_person", kwargs={"person_id": person.public_id})


def test_operations_manager_sees_people_in_their_area_only(make_user, client_for):
    area = AreaFactory()
    mine = PersonFactory(station=StationFactory(parent=area), family_name="Inside")
    theirs = PersonFactory(
        station=StationFactory(parent=AreaFactory(parent=area.parent)), family_name="Outside"
    )
    client = client_for(make_user(Role.OPERATIONS_MANAGER, area))

    page = client.get(PEOPLE)

    assert "Inside" in page.text and "Outside" not in page.text
    assert client.get(_person_url(mine)).status_code == 200
    assert client.get(_person_url(theirs)).status_code == 404


def test_staff_may_not_open_the_people_directory(make_user, client_for):
    client = client_for(make_user(Role.STAFF))

    response = client.get(PEOPLE)

    assert response.status_code == 403
    assert "You do not have access to this page" in response.text


def test_a_person_outside_scope_is_indistinguishable_from_none(make_user, client_for):
    client = client_for(make_user(Role.OPERATIONS_MANAGER, AreaFactory()))
    elsewhere = client.get(_person_url(PersonFactory()))
    nonexistent = client.get("/people/00000000-0000-0000-0000-000000000000/")

    assert elsewhere.status_code == nonexistent.status_code == 404
    assert without_tokens(elsewhere.text) == without_tokens(nonexistent.text)


def test_directory_filters_by_name_and_apprentice(make_user, client_for):
    area = AreaFactory()
    station = StationFactory(parent=area)
    PersonFactory(station=station, family_name="Quayle", is_apprentice=True)
    PersonFactory(station=station, family_name="Roberts")
    client = client_for(make_user(Role.EDUCATION_LEAD, area))

    by_name = client.get(PEOPLE, {"q": "quay"})
    apprentices = client.get(PEOPLE, {"apprentices": "on"})

    assert "Quayle" in by_name.text and "Roberts" not in by_name.text
    assert "Quayle" in apprentices.text and "Roberts" not in apprentices.text


def test_directory_ignores_a_unit_outside_scope(make_user, client_for):
    area = AreaFactory()
    PersonFactory(station=StationFactory(parent=area), family_name="Visible")
    elsewhere = StationFactory()
    PersonFactory(station=elsewhere, family_name="Hidden")
    client = client_for(make_user(Role.OPERATIONS_MANAGER, area))

    response = client.get(PEOPLE, {"unit": str(elsewhere.public_id)})

    assert response.status_code == 200
    assert "Visible" in response.text and "Hidden" not in response.text


def test_organisation_counts_current_staff_per_station(make_user, client_for):
    area = AreaFactory(name="Testdale")
    station = StationFactory(parent=area, name="Testdale Ambulance Station")
    PersonFactory.create_batch(3, station=station)
    PersonFactory(station=station, is_apprentice=True)
    client = client_for(make_user(Role.EXECUTIVE, area.parent))

    page = client.get(ORGANISATION).text

    assert "Testdale Ambulance Station" in page
    assert "Total for Testdale" in page


def test_organisation_is_forbidden_to_line_managers(make_user, client_for):
    assert client_for(make_user(Role.LINE_MANAGER)).get(ORGANISATION).status_code == 403


def test_audit_log_is_for_administrators(make_user, client_for):
    admin = make_user(Role.SYSTEM_ADMIN)
    audit.record(action="viewed", actor=admin, target=admin, summary="opened a case")

    assert "opened a case" in client_for(admin).get(AUDIT_LOG).text
    assert client_for(make_user(Role.SAFEGUARDING_LEAD)).get(AUDIT_LOG).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(db, client):
    response = client.get(PEOPLE)

    assert response.status_code == 302 and response.url.startswith(reverse("people:sign_in"))


def test_wide_tables_on_people_pages_scroll_in_a_focusable_region_named_by_their_caption(
    make_user, client_for
):
    admin = make_user(Role.SYSTEM_ADMIN, AreaFactory().parent)
    PersonFactory(station=StationFactory(parent=AreaFactory(parent=admin.memberships.get().unit)))
    audit.record(action="viewed", actor=admin, target=admin)
    client = client_for(admin)

    for url in (PEOPLE, ORGANISATION, AUDIT_LOG):
        html = client.get(url).text
        regions = re.findall(
            r'<div class="candour-table-wrapper" role="region" aria-labelledby="([^"]+)" tabindex="0">', html
        )
        assert regions, f"{url} has a table outside a focusable region"
        for caption_id in regions:
            assert f'<caption id="{caption_id}"' in html
