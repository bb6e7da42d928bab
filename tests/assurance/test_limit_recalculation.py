"""Recalculating a measure's process limits from the month a lasting shift began: offered to the quality
lead on the measure's page, recorded and undone by services with an audit event each, shown wherever the
series is charted, and the latest value read from the last complete month."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candour.assurance.models import LimitRecalculation, MeasureSnapshot
from candour.assurance.queries.catalogue import catalogue, measure_chart
from candour.assurance.services import limits
from candour.core.measures import Period, get
from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.people.middleware import SESSION_KEY as TWO_FACTOR_PASSED
from candour.people.roles import Role
from tests.support.factories import AreaFactory, StationFactory, TrustFactory
from tests.support.html_forms import post_forms

KEY = "learning.reviews_on_time"
# April 2024 to February 2026 (23 complete months), then March 2026 so far. Steady, then from August 2025 a
# shift upward that still runs.
STEADY = [50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 50, 52, 48, 50, 51, 49]
SHIFT = [56, 57, 56, 58, 57, 56, 57]
SO_FAR = 61.0
AUGUST = dt.date(2025, 8, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def trust(db):
    trust = TrustFactory(name="Northmoor")
    north = AreaFactory(parent=trust, name="North")
    StationFactory(parent=north)
    _keep(trust, [*STEADY, *SHIFT, SO_FAR])
    _keep(north, [*STEADY, *STEADY[:7], 50])
    return {"trust": trust, "north": north}


def _keep(unit, values):
    months = Period.month(2026, 3).previous_months(len(values))
    for period, value in zip(months, values, strict=True):
        MeasureSnapshot.objects.create(
            measure_key=KEY, unit=unit, month=period.start, value=value, computed_at=timezone.now()
        )


def _page(key: str = KEY) -> str:
    return reverse("assurance:show_measure", kwargs={"measure_key": key})


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _form(response, action: str):
    return next(form for form in post_forms(response.content.decode()) if action in form.action)


def _recalculate(client, unit, month="2025-08", reason="A second reviewer joined in August"):
    url = reverse("assurance:recalculate_limits", kwargs={"measure_key": KEY})
    return client.post(f"{url}?unit={unit.public_id}", {"from_month": month, "reason": reason})


def test_the_quality_lead_is_offered_a_recalculation_from_the_month_the_shift_began(
    trust, make_user, client_for
):
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    text = _text(client.get(_page()))
    assert "A shift began in August 2025" in text
    assert "Recalculate the limits from August 2025" in text
    offer = _form(client.get(_page()), "recalculate/")
    assert [value for name, value in offer.values if name == "from_month"] == ["2025-08"]


def test_recording_a_recalculation_starts_new_limits_audits_it_and_shows_where(trust, make_user, client_for):
    lead = make_user(Role.QUALITY_LEAD, trust["trust"])
    client = client_for(lead)
    response = _recalculate(client, trust["trust"])
    assert response.status_code == 302
    recalculation = LimitRecalculation.objects.get()
    assert (recalculation.measure_key, recalculation.unit, recalculation.from_month) == (
        KEY,
        trust["trust"],
        AUGUST,
    )
    event = AuditEvent.objects.get(action="recalculated_limits")
    assert event.actor == lead and event.changes["from_month"] == "2025-08-01"
    page = client.get(response["Location"])
    text = _text(page)
    assert "Where the limits were recalculated" in text
    assert "From August 2025 : A second reviewer joined in August" in text
    assert "Limits recalculated from this month." in text
    assert "A shift began" not in text, "no offer once recalculated there"
    chart = measure_chart(get(KEY), trust["trust"])
    assert chart.recalculations == [Period.month(2025, 8)]
    assert chart.rows[-3].mean != chart.rows[0].mean
    cards = catalogue(trust["trust"])
    card = next(chart for group in cards.groups for chart in group.charts if chart.measure.key == KEY)
    assert card.recalculations == [Period.month(2025, 8)]


def test_a_recalculation_for_the_trust_leaves_an_areas_chart_alone(trust, make_user):
    limits.recalculate_limits(
        by=make_user(Role.QUALITY_LEAD, trust["trust"]),
        measure_key=KEY,
        unit=trust["trust"],
        from_month=AUGUST,
        reason="Change",
    )
    assert measure_chart(get(KEY), trust["north"]).recalculations == []


def test_a_recalculation_needs_a_reason(trust, make_user, client_for):
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    response = _recalculate(client, trust["trust"], reason="  ")
    assert response.status_code == 200
    assert "Enter why the process has changed" in _text(response)
    assert not LimitRecalculation.objects.exists()


def test_a_month_where_no_shift_began_is_refused_and_says_why(trust, make_user, client_for):
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    response = _recalculate(client, trust["trust"], month="2025-02")
    assert response.status_code == 200
    assert "shows none beginning in February 2025" in _text(response)
    assert not LimitRecalculation.objects.exists()
    with pytest.raises(Refused):
        limits.recalculate_limits(
            by=make_user(Role.QUALITY_LEAD, trust["trust"]),
            measure_key=KEY,
            unit=trust["north"],
            from_month=AUGUST,
            reason="No shift in the north",
        )


def test_leads_who_do_not_run_the_framework_are_not_offered_it_and_are_refused(trust, make_user, client_for):
    manager = make_user(Role.EXECUTIVE, trust["trust"])
    client = client_for(manager)
    assert "Recalculate the limits" not in _text(client.get(_page()))
    assert _recalculate(client, trust["trust"]).status_code == 403
    with pytest.raises(PermissionDenied):
        limits.recalculate_limits(
            by=manager, measure_key=KEY, unit=trust["trust"], from_month=AUGUST, reason="x"
        )
    assert not LimitRecalculation.objects.exists()


def test_undoing_a_recalculation_goes_back_to_the_limits_before_and_is_audited(trust, make_user, client_for):
    lead = make_user(Role.QUALITY_LEAD, trust["trust"])
    recalculation = limits.recalculate_limits(
        by=lead, measure_key=KEY, unit=trust["trust"], from_month=AUGUST, reason="Change"
    )
    client = client_for(lead)
    undo = reverse("assurance:undo_recalculation", kwargs={"measure_key": KEY})
    response = client.post(
        f"{undo}?unit={trust['trust'].public_id}", {"recalculation": recalculation.public_id}
    )
    assert response.status_code == 302
    assert not LimitRecalculation.objects.exists()
    event = AuditEvent.objects.get(action="undid_limit_recalculation")
    assert event.changes["reason"] == "Change"
    assert measure_chart(get(KEY), trust["trust"]).recalculations == []
    assert "Recalculate the limits from August 2025" in _text(client.get(_page()))


def test_the_forms_carry_tokens_the_server_accepts_and_do_their_work_once(trust, make_user):
    lead = make_user(Role.QUALITY_LEAD, trust["trust"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    session = client.session
    session[TWO_FACTOR_PASSED] = True
    session.save()
    offer = _form(client.get(_page()), "recalculate/")
    assert offer.has_csrf_token
    data = {**offer.data(), "reason": ["A second reviewer joined"]}
    first = client.post(offer.action, data)
    assert first.status_code == 302
    events = AuditEvent.objects.count()
    again = client.post(offer.action, data)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert AuditEvent.objects.count() == events
    undo = _form(client.get(first["Location"]), "undo-recalculation/")
    assert undo.has_csrf_token
    assert client.post(undo.action, undo.data()).status_code == 302
    assert not LimitRecalculation.objects.exists()


def test_the_latest_value_is_the_last_complete_month_and_this_month_is_so_far(trust, make_user, client_for):
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    text = _text(client.get(_page()))
    assert "Latest value 57% in February 2026" in text
    assert "March 2026 so far 61%, not judged until the month is over" in text
    catalogue_text = _text(client.get(reverse("assurance:list_measures")))
    assert "Latest value 57% in February 2026 March 2026 so far: 61%, not judged yet" in catalogue_text


def test_the_measure_key_is_shown_for_analysts_on_its_page_only(trust, make_user, client_for):
    client = client_for(make_user(Role.QUALITY_LEAD, trust["trust"]))
    page = _text(client.get(_page()))
    assert f"For analysts Key {KEY}" in page
    catalogue_text = _text(client.get(reverse("assurance:list_measures")))
    assert KEY not in catalogue_text
