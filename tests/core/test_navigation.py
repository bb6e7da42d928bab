"""The header's navigation puts each role's own work first, then the links everyone has."""

import pytest
from django.test import RequestFactory

from candour.core.navigation import items_for
from candour.people.roles import Role

ASSURANCE = ["Measures", "CQC framework", "Action plans", "Risks", "Reports"]


def _labels(user, path="/") -> list[str]:
    request = RequestFactory().get(path)
    request.user = user
    return [item["text"] for item in items_for(request)]


@pytest.mark.parametrize(
    ("role", "first"),
    [
        (Role.QUALITY_LEAD, ["Harm reviews", *ASSURANCE]),
        (Role.EXECUTIVE, ASSURANCE),
        (Role.SAFEGUARDING_LEAD, ["Cases", "Speak-up reports"]),
        (Role.GUARDIAN, ["Cases", "Speak-up reports"]),
        (Role.EDUCATION_LEAD, ["Briefings", "Compliance", "Apprentices"]),
        (Role.LINE_MANAGER, ["Compliance", "Apprentices", "People"]),
        (Role.SYSTEM_ADMIN, ["People", "Organisation", "Audit log"]),
        (
            Role.OPERATIONS_MANAGER,
            ["Response times", "Harm reviews", "Call recordings", "Measures", "Action plans", "Risks"],
        ),
        (Role.EOC_MANAGER, ["Response times", "Call recordings"]),
        (Role.MEDICINES_LEAD, ["Controlled drugs", "Measures", "Action plans", "Risks"]),
        (Role.CD_ACCOUNTABLE_OFFICER, ["Controlled drugs"]),
        (Role.FLEET_LEAD, ["Fleet", "Measures", "Action plans", "Risks"]),
        (Role.INFORMATION_GOVERNANCE_LEAD, ["Access alerts", "Patient records"]),
        (Role.CLINICAL_AUDIT_LEAD, ["Patient records"]),
    ],
)
def test_each_role_sees_its_own_work_before_the_links_everyone_has(make_user, role, first):
    labels = _labels(make_user(role))

    assert labels[: len(first)] == first
    assert labels.index("Home") == len(first)


def test_staff_see_home_first_then_what_everyone_has_with_the_drugs_and_vehicles_they_check(make_user):
    assert _labels(make_user(Role.STAFF)) == [
        "Home",
        "Speak up",
        "My training",
        "My records",
        "Briefings",
        "Controlled drugs",
        "Your pulses",
        "Vehicle checks",
    ]


def test_apprentices_see_home_first_then_what_everyone_has(make_user):
    assert _labels(make_user(Role.APPRENTICE)) == [
        "Home",
        "Speak up",
        "My training",
        "My records",
        "Briefings",
        "Your pulses",
        "Vehicle checks",
    ]


def test_own_work_comes_first_without_adding_a_link_the_role_may_not_use(make_user):
    executive = _labels(make_user(Role.EXECUTIVE))

    assert "Cases" not in executive and "Audit log" not in executive


def test_the_current_section_is_marked(make_user):
    request = RequestFactory().get("/assurance/risks/")
    request.user = make_user(Role.QUALITY_LEAD)

    current = [item["text"] for item in items_for(request) if item["current"]]

    assert current == ["Risks"]
