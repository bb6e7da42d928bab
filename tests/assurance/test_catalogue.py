"""The measures catalogue and a measure's page: every registered measure, read from snapshots, for the trust
or an area the viewer's scope reaches, and nothing else."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from candour.assurance.models import MeasureSnapshot
from candour.core.measures import all_measures
from candour.people.roles import Role
from tests.support.factories import AreaFactory, StationFactory, TrustFactory

TODAY = dt.date(2026, 3, 15)
LIST = reverse("assurance:list_measures")


def _show(key: str) -> str:
    return reverse("assurance:show_measure", kwargs={"measure_key": key})


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def trust(db):
    trust = TrustFactory(name="Northmoor")
    north = AreaFactory(parent=trust, name="North")
    south = AreaFactory(parent=trust, name="South")
    StationFactory(parent=north)
    return {"trust": trust, "north": north, "south": south}


def _keep(key: str, unit, values: list[float | None], *, until: dt.date = TODAY) -> None:
    """Snapshots for the months ending with `until`'s, oldest first."""
    months = []
    year, month = until.year, until.month
    for _ in values:
        months.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    for day, value in zip(reversed(months), values, strict=True):
        MeasureSnapshot.objects.create(
            measure_key=key, unit=unit, month=day, value=value, numerator=value, computed_at=timezone.now()
        )


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_catalogue_lists_every_registered_measure_with_a_link_to_its_page(trust, make_user, client_for):
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    measures = all_measures()
    assert len(measures) > 10
    for measure in measures:
        assert f'data-measure="{measure.key}"' in html, measure.key
        assert _show(measure.key) in html
    assert html.count('class="nhsuk-card ') == len(measures)


def test_measures_are_grouped_by_the_app_that_publishes_them_under_readable_names(
    trust, make_user, client_for
):
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    text = _text(client.get(LIST))
    for heading in ("Workforce", "Speaking up and safeguarding concerns", "Training, apprenticeships and"):
        assert heading in text


def test_the_catalogue_shows_the_latest_kept_value_with_its_month_and_its_reading(
    trust, make_user, client_for
):
    _keep("people.headcount", trust["trust"], [600 + (i % 3) for i in range(20)] + [640, None])
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    html = client.get(LIST).content.decode()
    card = html[html.index('data-measure="people.headcount"') :]
    card = card[: card.index('class="nhsuk-card ')] if 'class="nhsuk-card ' in card else card
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card))
    # March has no value, so the latest is February's.
    assert "Latest value 640 people in February 2026" in text
    assert "Special cause variation: higher, neither improvement nor concern" in text
    assert "Neither higher nor lower is better" in text


def test_the_catalogue_reads_every_measure_in_a_fixed_number_of_queries(
    trust, make_user, client_for, django_assert_max_num_queries
):
    for measure in all_measures()[:10]:
        _keep(measure.key, trust["trust"], [float(i % 5) for i in range(24)])
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    client.get(LIST)
    with django_assert_max_num_queries(12) as captured:
        assert client.get(LIST).status_code == 200
    snapshot_reads = [query for query in captured if "assurance_measuresnapshot" in query["sql"]]
    assert len(snapshot_reads) == 1


def test_a_trust_wide_viewer_chooses_the_trust_or_any_area(trust, make_user, client_for):
    _keep("people.headcount", trust["south"], [150] * 3)
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    html = client.get(LIST).content.decode()
    options = re.findall(r'<option value="([^"]+)"', html)
    assert options == [str(trust[name].public_id) for name in ("trust", "north", "south")]
    south = client.get(LIST, {"unit": str(trust["south"].public_id)})
    assert south.status_code == 200
    assert "Latest value 150 people in February 2026" in _text(south)  # March is so far


def test_an_area_lead_sees_only_their_area(trust, make_user, client_for):
    _keep("people.headcount", trust["north"], [90] * 3)
    _keep("people.headcount", trust["trust"], [600] * 3)
    client = client_for(make_user(Role.OPERATIONS_MANAGER, trust["north"]))
    response = client.get(LIST)
    text = _text(response)
    assert "Showing measures for North" in text
    assert "Latest value 90 people" in text
    assert "600 people" not in text
    assert "<select" not in response.content.decode()


@pytest.mark.parametrize("other", ["south", "trust"])
def test_an_area_lead_cannot_pick_another_unit(trust, make_user, client_for, other):
    client = client_for(make_user(Role.OPERATIONS_MANAGER, trust["north"]))
    assert client.get(LIST, {"unit": str(trust[other].public_id)}).status_code == 404
    assert client.get(_show("people.headcount"), {"unit": str(trust[other].public_id)}).status_code == 404


def test_a_unit_from_another_trust_or_no_unit_at_all_is_not_found(trust, make_user, client_for):
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    elsewhere = AreaFactory()
    assert client.get(LIST, {"unit": str(elsewhere.public_id)}).status_code == 404
    assert client.get(LIST, {"unit": str(elsewhere.parent.public_id)}).status_code == 404
    assert client.get(LIST, {"unit": "not-a-unit"}).status_code == 404


def test_a_station_is_never_charted_even_inside_scope(trust, make_user, client_for):
    station = trust["north"].children.get()
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    assert client.get(LIST, {"unit": str(station.public_id)}).status_code == 404


def test_a_leader_whose_role_covers_a_station_only_is_told_why_there_is_nothing(trust, make_user, client_for):
    station = trust["north"].children.get()
    client = client_for(make_user(Role.QUALITY_LEAD, station))
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Your role covers stations only" in _text(response)


def test_staff_without_the_permission_are_refused_and_visitors_sent_to_sign_in(trust, make_user, client_for):
    staff = client_for(make_user(Role.STAFF, trust["north"].children.get()))
    assert staff.get(LIST).status_code == 403
    assert staff.get(_show("people.headcount")).status_code == 403
    from django.test import Client

    assert Client().get(LIST).status_code == 302


def test_a_measure_page_shows_its_definition_chart_and_data(trust, make_user, client_for):
    values = [100.0 + (i % 4) for i in range(24)]
    _keep("people.headcount", trust["trust"], values)
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    response = client.get(_show("people.headcount"))
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(response)
    assert "People employed on the last day of the period" in text
    assert 'role="img"' in html
    assert "Lower process limit" in html
    assert "How it is measured" in text
    body = html[html.index("<tbody") : html.index("</tbody>")]
    assert body.count("<tr") == 24
    assert "March 2026" in body and "April 2024" in body
    assert "Numerator" in html


def test_a_measure_page_for_an_area_reads_that_areas_snapshots(trust, make_user, client_for):
    _keep("people.headcount", trust["north"], [77] * 14)
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    response = client.get(_show("people.headcount"), {"unit": str(trust["north"].public_id)})
    assert "77 people in February 2026" in _text(response)  # March is so far


def test_an_unknown_measure_key_is_not_found(trust, make_user, client_for):
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    assert client.get(_show("people.no_such_measure")).status_code == 404


def test_measures_appear_in_the_menu_for_leaders_only(trust, make_user, client_for):
    leader = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    staff = client_for(make_user(Role.STAFF, trust["north"].children.get()))
    assert f'href="{LIST}"' in leader.get(reverse("core:home")).content.decode()
    assert f'href="{LIST}"' not in staff.get(reverse("core:home")).content.decode()
