"""The risk register: references, scores checked on the 5 by 5 matrix, the heat map, overdue reviews flagged,
reviews kept with their history, who sees which risk, and the top risks for the board report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from candour.assurance.models import Risk
from candour.assurance.models.risks import RiskReview
from candour.assurance.queries.risks import top_risks
from candour.assurance.risk_scoring import Band, Bands, heat_map, score_problems
from candour.assurance.services import risks as services
from candour.core.attention import items_for
from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.people.roles import Role
from tests.assurance.test_plans import at, build_org, make_action, make_plan, page_of

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def org(make_user):
    return build_org(make_user)


@pytest.fixture(autouse=True)
def _on_a_fixed_day():
    with at(TODAY):
        yield


def add_risk(
    org, *, title="Apprentices harassed", unit=None, owner=None, current=(3, 5), review_in=30, **extra
):
    scores = {
        "inherent_likelihood": 4,
        "inherent_consequence": 5,
        "current_likelihood": current[0],
        "current_consequence": current[1],
        "target_likelihood": 2,
        "target_consequence": 4,
    } | extra
    return services.create_risk(
        by=org.quality_lead,
        title=title,
        description="Because ..., there is a risk that ..., which would lead to ...",
        controls="Named mentors",
        unit=unit or org.trust,
        owner=owner or org.owner,
        review_due_on=TODAY + dt.timedelta(days=review_in),
        **scores,
    )


def risk_post(org, **overrides) -> dict:
    data = {
        "title": "Controlled drugs not reconciled",
        "description": "Because registers are on paper ...",
        "unit": str(org.trust.public_id),
        "owner": str(org.owner.public_id),
        "controls": "Weekly reconciliation",
        "inherent_likelihood": "4",
        "inherent_consequence": "4",
        "current_likelihood": "3",
        "current_consequence": "4",
        "target_likelihood": "2",
        "target_consequence": "3",
        "review_due_on_day": "1",
        "review_due_on_month": "2",
        "review_due_on_year": "2027",
    }
    return data | overrides


# Scores


def test_bands_follow_the_settings():
    bands = Bands(moderate_from=4, high_from=8, extreme_from=15)
    assert [bands.of(score) for score in (1, 3, 4, 6, 8, 12, 15, 25)] == [
        Band.LOW,
        Band.LOW,
        Band.MODERATE,
        Band.MODERATE,
        Band.HIGH,
        Band.HIGH,
        Band.EXTREME,
        Band.EXTREME,
    ]
    assert Bands(moderate_from=5, high_from=10, extreme_from=20).of(15) is Band.HIGH


def test_scores_outside_one_to_five_or_above_the_inherent_score_are_refused():
    good = {"inherent_likelihood": 4, "inherent_consequence": 4, "current_likelihood": 3}
    good |= {"current_consequence": 4, "target_likelihood": 2, "target_consequence": 3}
    assert score_problems(good) == {}
    assert score_problems(good | {"current_likelihood": 6}) == {
        "current_likelihood": "Choose the current likelihood from 1 to 5"
    }
    assert score_problems(good | {"target_consequence": 0}) == {
        "target_consequence": "Choose the target consequence from 1 to 5"
    }
    assert (
        "above the inherent score (16)"
        in score_problems(good | {"current_likelihood": 5})["current_likelihood"]
    )
    # The current score may be below the target: the target is met.
    assert score_problems(good | {"current_likelihood": 1, "current_consequence": 1}) == {}


def test_the_next_risk_takes_the_next_reference(org, settings):
    settings.CANDOUR_RISK_REFERENCE_PREFIX = "NAS-R"
    first, second = add_risk(org), add_risk(org, title="Vehicles not clean")

    assert (first.reference, second.reference) == ("NAS-R-001", "NAS-R-002")


def test_a_risk_is_added_through_the_form_and_audited(org, client_for):
    response = client_for(org.quality_lead).post("/assurance/risks/new/", risk_post(org))

    risk = Risk.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/assurance/risks/{risk.public_id}/"
    assert (risk.inherent_score, risk.current_score, risk.target_score, risk.opened_on) == (16, 12, 6, TODAY)
    assert AuditEvent.objects.get(action="added_risk").changes["current_likelihood"] == 3


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"current_likelihood": "7"}, "Choose the current likelihood from 1 to 5"),
        ({"inherent_consequence": ""}, "Choose the inherent consequence from 1 to 5"),
        ({"current_likelihood": "5"}, "The current score (20) is above the inherent score (16)"),
        (
            {"target_likelihood": "5", "target_consequence": "5"},
            "The target score (25) is above the inherent",
        ),
        ({"review_due_on_year": "2025"}, "The next review date must be today or in the future"),
    ],
)
def test_bad_scores_get_a_clear_error_and_nothing_is_written(org, client_for, overrides, message):
    response = client_for(org.quality_lead).post("/assurance/risks/new/", risk_post(org, **overrides))

    page = page_of(response)
    assert response.status_code == 200 and "There is a problem" in page and message in page
    assert not Risk.objects.exists()
    assert 'value="Controlled drugs not reconciled"' in page


# The register


def test_the_heat_map_counts_open_risks_by_their_current_scores(org, client_for):
    add_risk(org, current=(3, 5))
    add_risk(org, current=(3, 5), title="Second")
    add_risk(org, current=(2, 2), title="Third")
    closed = add_risk(org, current=(5, 5), inherent_likelihood=5, title="Closed")
    Risk.objects.filter(pk=closed.pk).update(closed_on=TODAY - dt.timedelta(days=1))

    page = page_of(client_for(org.quality_lead).get("/assurance/risks/"))

    grid = heat_map([(3, 5), (3, 5), (2, 2)], Bands())
    cells = {(c.likelihood, c.consequence): c for row in grid.rows for c in row.cells}
    assert (cells[(3, 5)].count, cells[(3, 5)].band) == (2, Band.EXTREME)
    assert (cells[(2, 2)].count, cells[(2, 2)].band) == (1, Band.MODERATE)
    assert grid.total == 3 and [row.likelihood for row in grid.rows] == [5, 4, 3, 2, 1]
    assert "3 in all" in page and "2 risks" in page and "Extreme, score 15" in page
    assert "Closed" not in page


def test_the_register_lists_the_highest_current_score_first_and_flags_overdue_reviews(org, client_for):
    add_risk(org, title="Moderate one", current=(2, 2))
    add_risk(org, title="Extreme one", current=(4, 4), review_in=-3)

    page = page_of(client_for(org.quality_lead).get("/assurance/risks/"))

    assert page.index("Extreme one") < page.index("Moderate one")
    assert "1 risk is past its review date" in page
    assert page.count("Overdue") == 1


def test_top_risks_for_the_board_report(org):
    for n, current in enumerate([(2, 2), (4, 4), (3, 4), (1, 1)]):
        add_risk(org, title=f"Risk {n}", current=current)
    add_risk(org, title="In the area", unit=org.area, current=(4, 5))

    top = top_risks(limit=3, on=TODAY)
    in_trust_only = top_risks(limit=10, on=TODAY, scope_units=[org.trust])

    assert [(r.title, r.current.score) for r in top] == [("In the area", 20), ("Risk 1", 16), ("Risk 2", 12)]
    assert "In the area" not in [r.title for r in in_trust_only] and len(in_trust_only) == 4


# Reviews


def test_the_owner_reviews_their_risk_and_the_review_is_kept(org, client_for):
    risk = add_risk(org, review_in=-5)

    response = client_for(org.owner).post(
        f"/assurance/risks/{risk.public_id}/review/",
        {
            "current_likelihood": "2",
            "current_consequence": "5",
            "note": "Mentors in place at every station; no reports this quarter.",
            "next_review_on_day": "22",
            "next_review_on_month": "2",
            "next_review_on_year": "2027",
        },
    )

    risk.refresh_from_db()
    assert response.status_code == 302
    assert (risk.current_score, risk.review_due_on, risk.last_reviewed_on) == (
        10,
        dt.date(2027, 2, 22),
        TODAY,
    )
    review = RiskReview.objects.get()
    assert (review.reviewed_by, review.current_score) == (org.owner, 10)
    event = AuditEvent.objects.get(action="reviewed_risk")
    assert event.changes["current_likelihood"] == [3, 2] and event.changes["note"] == "[changed]"
    page = page_of(client_for(org.owner).get(f"/assurance/risks/{risk.public_id}/"))
    assert "Mentors in place at every station" in page and "Review overdue" not in page


def test_a_review_above_the_inherent_score_is_refused(org, client_for):
    risk = add_risk(org)

    response = client_for(org.owner).post(
        f"/assurance/risks/{risk.public_id}/review/",
        {
            "current_likelihood": "5",
            "current_consequence": "5",
            "note": "Worse",
            "next_review_on_day": "22",
            "next_review_on_month": "2",
            "next_review_on_year": "2027",
        },
    )

    assert "The current score (25) is above the inherent score (20)" in page_of(response)
    assert not RiskReview.objects.exists()


def test_a_risk_owner_is_told_of_their_overdue_review(org, make_user):
    risk = add_risk(org, review_in=-2)
    add_risk(org, review_in=10, title="Not yet due")

    items = [item for item in items_for(org.owner) if item.title == "Risk reviews overdue"]

    assert len(items) == 1 and items[0].urgent and items[0].count == 1
    assert items[0].url == f"/assurance/risks/{risk.public_id}/"
    assert not [item for item in items_for(org.quality_lead) if item.title == "Risk reviews overdue"]


def test_someone_who_neither_owns_nor_manages_a_risk_cannot_review_it(org, client_for, make_user):
    risk = add_risk(org)
    guardian = make_user(Role.GUARDIAN, org.trust)

    assert client_for(guardian).get(f"/assurance/risks/{risk.public_id}/").status_code == 200
    assert client_for(guardian).get(f"/assurance/risks/{risk.public_id}/review/").status_code == 404


# Who sees what, and linked actions


def test_an_area_lead_does_not_see_another_areas_risk(org, client_for, make_user):
    ours = add_risk(org, unit=org.area, title="Bariatric provision in Calder Vale")
    theirs = add_risk(org, unit=org.other_area, title="Bariatric provision in Harrowby Coast")
    client = client_for(make_user(Role.OPERATIONS_MANAGER, org.area))

    assert client.get(f"/assurance/risks/{ours.public_id}/").status_code == 200
    assert client.get(f"/assurance/risks/{theirs.public_id}/").status_code == 404
    page = page_of(client.get("/assurance/risks/"))
    assert "in Calder Vale" in page and "in Harrowby Coast" not in page


def test_a_risk_page_shows_its_linked_actions_with_their_status(org, client_for):
    action = make_action(org, make_plan(org), due_on=TODAY - dt.timedelta(days=3))
    risk = add_risk(org)
    services.update_risk(by=org.quality_lead, risk=risk, linked_actions=[action])

    page = page_of(client_for(org.quality_lead).get(f"/assurance/risks/{risk.public_id}/"))

    assert action.title in page and "Overdue" in page
    assert AuditEvent.objects.get(action="changed_risk").changes["linked_actions"] == [
        [],
        [str(action.public_id)],
    ]


def test_only_actions_the_user_sees_can_be_linked(org, make_user):
    area_manager = make_user(Role.QUALITY_LEAD, org.area)
    hidden = make_action(org, make_plan(org, unit=org.other_area))

    with pytest.raises(Refused):
        services.create_risk(
            by=area_manager,
            title="Sneaky",
            description="...",
            controls="...",
            unit=org.area,
            owner=area_manager,
            review_due_on=timezone.localdate(),
            inherent_likelihood=3,
            inherent_consequence=3,
            current_likelihood=3,
            current_consequence=3,
            target_likelihood=2,
            target_consequence=2,
            linked_actions=[hidden],
        )
    assert not Risk.objects.exists()


def test_changing_a_risk_keeps_links_to_actions_the_editor_cannot_see(org, client_for, make_user):
    hidden = make_action(org, make_plan(org, unit=org.other_area), title="Elsewhere")
    risk = add_risk(org, unit=org.area)
    services.update_risk(by=org.quality_lead, risk=risk, linked_actions=[hidden])
    area_lead = make_user(Role.QUALITY_LEAD, org.area)

    response = client_for(area_lead).post(
        f"/assurance/risks/{risk.public_id}/edit/",
        risk_post(org, unit=str(org.area.public_id), owner=str(area_lead.public_id), title="Renamed"),
    )

    risk.refresh_from_db()
    assert response.status_code == 302 and risk.title == "Renamed"
    assert list(risk.linked_actions.all()) == [hidden]
