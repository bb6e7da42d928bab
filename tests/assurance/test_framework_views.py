"""The CQC framework pages: who may read and write them, self-assessment and binding with their errors,
overrides, breaches and published ratings; every write audited."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from candour.assurance.models import (
    EvidenceLink,
    InspectionRating,
    MeasureBinding,
    QualityStatement,
    RatingOverride,
    RegulatoryBreach,
    SelfAssessment,
)
from candour.core.models import AuditEvent
from candour.people.roles import Role
from tests.support.factories import AreaFactory

SAFEGUARDING = "safe-safeguarding"
L3 = "learning.safeguarding_children_l3_compliance"


@pytest.fixture
def lead_client(client_for, lead):
    return client_for(lead)


def assess_url(service="emergency-urgent-care", code=SAFEGUARDING):
    return reverse("assurance:assess_statement", kwargs={"statement_code": code, "service_slug": service})


def statement_url(service="emergency-urgent-care", code=SAFEGUARDING):
    return reverse("assurance:show_statement", kwargs={"statement_code": code, "service_slug": service})


def bind_url(code=SAFEGUARDING):
    return (
        reverse("assurance:bind_measure", kwargs={"statement_code": code}) + "?service=emergency-urgent-care"
    )


def text(response) -> str:
    """The page as a reader sees its words (entities such as &#39; turned back into characters)."""
    return html.unescape(response.content.decode())


GOOD_ASSESSMENT = {
    "score": "3",
    "narrative": "Referrals are made promptly; audit in May found no missed referrals.",
    "measure_1": L3,
    "document_1_title": "Safeguarding annual report",
    "document_1_location": "https://intranet.example/safeguarding-annual-report",
}


# Reading


@pytest.mark.parametrize(
    "name",
    ["show_framework", "show_gap", "show_rating_history", "list_breaches", "show_monitoring"],
)
def test_leads_read_the_framework_pages(lead_client, name):
    response = lead_client.get(reverse(f"assurance:{name}"))

    assert response.status_code == 200


def test_the_overview_shows_each_core_service_and_the_trust(lead_client):
    page = text(lead_client.get(reverse("assurance:show_framework")))

    for name in [
        "Emergency and urgent care",
        "Emergency operations centre",
        "NHS 111",
        "Patient transport",
        "Trust",
    ]:
        assert name in page
    assert "Ratings by core service and key question" in page


def test_a_staff_member_cannot_see_the_framework(make_user, client_for, trust):
    client = client_for(make_user(Role.STAFF, trust))

    assert client.get(reverse("assurance:show_framework")).status_code == 403
    assert client.get(statement_url()).status_code == 403
    assert client.get(reverse("assurance:show_gap")).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get(reverse("assurance:show_framework")).status_code == 302


def test_a_key_question_page_lists_its_statements(lead_client):
    url = reverse("assurance:show_key_question", kwargs={"service_slug": "nhs-111", "key_question": "safe"})

    page = text(lead_client.get(url))

    assert "Safeguarding" in page and "Medicines optimisation" in page


def test_the_trust_has_pages_only_for_well_led(lead_client):
    def status(kq):
        url = reverse("assurance:show_key_question", kwargs={"service_slug": "trust", "key_question": kq})
        return lead_client.get(url).status_code

    assert status("well_led") == 200
    assert status("safe") == 404
    assert lead_client.get(statement_url("trust")).status_code == 404
    assert lead_client.get(statement_url("trust", "well-led-freedom-to-speak-up")).status_code == 200


def test_unknown_services_statements_and_key_questions_are_not_found(lead_client):
    assert lead_client.get(statement_url("air-ambulance")).status_code == 404
    assert lead_client.get(statement_url(code="safe-nothing")).status_code == 404
    url = reverse("assurance:show_key_question", kwargs={"service_slug": "nhs-111", "key_question": "kind"})
    assert lead_client.get(url).status_code == 404


# Self-assessment


def test_a_manager_self_assesses_a_statement_with_evidence(lead_client, lead):
    response = lead_client.post(assess_url(), GOOD_ASSESSMENT)

    assert response.status_code == 302
    assessment = SelfAssessment.objects.get()
    assert (assessment.score, assessment.core_service.slug, assessment.assessed_by) == (
        3,
        "emergency-urgent-care",
        lead,
    )
    assert sorted((link.measure_key, link.document_title) for link in EvidenceLink.objects.all()) == [
        ("", "Safeguarding annual report"),
        (L3, ""),
    ]
    event = AuditEvent.objects.get(action="self_assessed")
    assert event.changes["score"] == 3
    assert event.changes["narrative"] == "[changed]"  # the narrative's words never reach the log
    page = text(lead_client.get(statement_url()))
    assert "audit in May found no missed referrals" in page


def test_a_new_assessment_keeps_the_history_and_the_form_starts_from_the_latest(lead_client):
    lead_client.post(assess_url(), GOOD_ASSESSMENT)
    lead_client.post(assess_url(), GOOD_ASSESSMENT | {"score": "2", "narrative": "Some shortfalls found"})

    assert sorted(SelfAssessment.objects.values_list("score", flat=True)) == [2, 3]
    page = text(lead_client.get(assess_url()))
    assert re.search(r'<input[^>]*name="score"[^>]*value="2"[^>]*checked', page)
    assert re.search(r'<textarea[^>]*name="narrative"[^>]*>\s*Some shortfalls found', page)
    assert re.search(rf'<option value="{re.escape(L3)}" selected', page)
    assert 'value="Safeguarding annual report"' in page


@pytest.mark.parametrize("score", ["5", "0", "-1", "three", ""])
def test_a_score_outside_1_to_4_is_refused_and_nothing_is_written(lead_client, score):
    response = lead_client.post(assess_url(), GOOD_ASSESSMENT | {"score": score})

    assert response.status_code == 200
    assert "Choose a score from 1 (significant shortfalls) to 4 (exceptional)" in text(response)
    assert not SelfAssessment.objects.exists()
    assert not EvidenceLink.objects.exists()
    # What was typed is kept.
    assert "audit in May found no missed referrals" in text(response)


def test_an_unknown_measure_key_is_refused_and_nothing_is_written(lead_client):
    response = lead_client.post(assess_url(), GOOD_ASSESSMENT | {"measure_2": "speakup.made_up_measure"})

    assert response.status_code == 200
    assert "No measure is registered with the key 'speakup.made_up_measure'" in text(response)
    assert not SelfAssessment.objects.exists()


def test_a_narrative_is_required(lead_client):
    response = lead_client.post(assess_url(), GOOD_ASSESSMENT | {"narrative": "  "})

    assert "Enter narrative" in text(response)
    assert not SelfAssessment.objects.exists()


def test_a_document_link_needs_a_title(lead_client):
    response = lead_client.post(assess_url(), GOOD_ASSESSMENT | {"document_1_title": ""})

    assert "Enter a title for document 1, or remove its link" in text(response)
    assert not SelfAssessment.objects.exists()


def test_the_trust_self_assesses_well_led(lead_client):
    response = lead_client.post(assess_url("trust", "well-led-freedom-to-speak-up"), GOOD_ASSESSMENT)

    assert response.status_code == 302
    assert SelfAssessment.objects.get().core_service is None


def test_an_area_scoped_manager_reads_but_cannot_self_assess(make_user, client_for, trust):
    area = AreaFactory(parent=trust)
    client = client_for(make_user(Role.OPERATIONS_MANAGER, area))

    assert client.get(reverse("assurance:show_framework")).status_code == 200
    assert client.get(assess_url()).status_code == 403
    assert client.post(assess_url(), GOOD_ASSESSMENT).status_code == 403
    assert not SelfAssessment.objects.exists()


def test_a_trust_wide_responsible_manager_self_assesses_but_cannot_bind(make_user, client_for, trust):
    client = client_for(make_user(Role.MEDICINES_LEAD, trust))

    assert client.post(assess_url(), GOOD_ASSESSMENT).status_code == 302
    assert client.get(bind_url()).status_code == 403


# Binding measures


def _bind(client, **values):
    data = {"measure_key": L3, "score_2_from": "60", "score_3_from": "85", "score_4_from": "95"} | values
    return client.post(bind_url(), data)


def test_the_quality_lead_binds_a_measure_with_thresholds(lead_client):
    response = _bind(lead_client)

    assert response.status_code == 302
    assert response.url == statement_url()
    binding = MeasureBinding.objects.get()
    assert (binding.measure_key, binding.score_2_from, binding.score_3_from, binding.score_4_from) == (
        L3,
        60,
        85,
        95,
    )
    assert AuditEvent.objects.filter(action="bound_measure").count() == 1


def test_binding_again_changes_the_thresholds(lead_client):
    _bind(lead_client)
    _bind(lead_client, score_2_from="50")

    assert MeasureBinding.objects.get().score_2_from == 50
    assert AuditEvent.objects.filter(action="changed_binding_thresholds").count() == 1


def test_thresholds_out_of_order_for_a_higher_is_better_measure_are_refused(lead_client):
    response = _bind(lead_client, score_2_from="85", score_3_from="60")

    assert response.status_code == 200
    assert "Higher is better for this measure, so the thresholds must rise" in text(response)
    assert not MeasureBinding.objects.exists()


def test_thresholds_must_fall_for_a_lower_is_better_measure(lead_client):
    key = "speakup.median_days_to_triage"
    refused = _bind(lead_client, measure_key=key, score_2_from="1", score_3_from="2", score_4_from="5")

    assert "Lower is better for this measure, so the thresholds must fall" in text(refused)
    assert (
        _bind(lead_client, measure_key=key, score_2_from="5", score_3_from="2", score_4_from="1").status_code
        == 302
    )


def test_a_measure_where_neither_direction_is_better_cannot_be_bound(lead_client):
    response = _bind(lead_client, measure_key="people.headcount")

    assert "This measure cannot be bound: neither higher nor lower is better for it" in text(response)
    assert not MeasureBinding.objects.exists()


def test_an_unknown_measure_cannot_be_bound(lead_client):
    response = _bind(lead_client, measure_key="learning.no_such_measure")

    assert "No measure is registered with the key 'learning.no_such_measure'" in text(response)
    assert not MeasureBinding.objects.exists()


def test_a_threshold_must_be_a_number(lead_client):
    response = _bind(lead_client, score_3_from="eighty")

    assert "Enter the value for a score of 3 as a number" in text(response)


def test_a_binding_can_be_removed(lead_client):
    _bind(lead_client)
    binding = MeasureBinding.objects.get()

    url = reverse("assurance:remove_binding", kwargs={"binding_id": binding.public_id})
    response = lead_client.post(url + "?service=nhs-111")

    assert response.url == statement_url("nhs-111")
    assert not MeasureBinding.objects.exists()
    assert AuditEvent.objects.filter(action="removed_binding").exists()


def test_an_area_scoped_lead_cannot_bind(make_user, client_for, trust):
    client = client_for(make_user(Role.QUALITY_LEAD, AreaFactory(parent=trust)))

    assert _bind(client).status_code == 403
    assert not MeasureBinding.objects.exists()


# Overrides, breaches, published ratings


def test_an_override_needs_a_reason_and_is_shown_with_it(lead_client):
    data = {"where": "nhs-111", "key_question": "safe", "rating": "inadequate", "reason": ""}
    refused = lead_client.post(reverse("assurance:record_override"), data)

    assert "Enter reason" in text(refused)
    assert not RatingOverride.objects.exists()

    data["reason"] = "Medicines audit found missing controlled drugs"
    assert lead_client.post(reverse("assurance:record_override"), data).status_code == 302
    page = text(lead_client.get(reverse("assurance:show_framework")))
    assert "Medicines audit found missing controlled drugs" in page


def test_an_override_can_be_lifted(lead_client):
    data = {"where": "trust", "key_question": "overall", "rating": "good", "reason": "Board decision"}
    lead_client.post(reverse("assurance:record_override"), data)
    lead_client.post(reverse("assurance:record_override"), data | {"rating": "lift", "reason": "Lifted"})

    assert list(RatingOverride.objects.order_by("created_at").values_list("rating", flat=True)) == [
        "good",
        "",
    ]
    assert "No rating departs from the rules" in text(lead_client.get(reverse("assurance:show_framework")))


def test_a_breach_is_recorded_and_resolved(lead_client):
    today = dt.date.today()
    data = {
        "where": "emergency-urgent-care",
        "key_question": "safe",
        "regulation": "Regulation 13",
        "description": "Level 3 training",
        "found_on_day": "1",
        "found_on_month": "2",
        "found_on_year": str(today.year - 1),
    }
    assert lead_client.post(reverse("assurance:record_breach"), data).status_code == 302
    breach = RegulatoryBreach.objects.get()
    url = reverse("assurance:resolve_breach", kwargs={"breach_id": breach.public_id})

    too_early = lead_client.post(
        url, {"resolved_on_day": "1", "resolved_on_month": "1", "resolved_on_year": str(today.year - 1)}
    )
    assert "on or after the date the breach was found" in text(too_early)

    resolved = {
        "resolved_on_day": str(today.day),
        "resolved_on_month": str(today.month),
        "resolved_on_year": str(today.year),
    }
    assert lead_client.post(url, resolved).status_code == 302
    assert RegulatoryBreach.objects.get().resolved_on == today


def test_published_ratings_are_recorded_and_shown_over_time(lead_client):
    data = {
        "published_on_day": "4",
        "published_on_month": "3",
        "published_on_year": "2025",
        "where": "trust",
        "report_reference": "INS2-4410",
        "rating_safe": "requires_improvement",
        "rating_well_led": "requires_improvement",
        "rating_overall": "requires_improvement",
    }

    response = lead_client.post(reverse("assurance:record_inspection_ratings"), data)

    assert response.status_code == 302
    assert InspectionRating.objects.filter(core_service=None).count() == 3
    assert set(InspectionRating.objects.values_list("key_question", flat=True)) == {"safe", "well_led", ""}
    page = text(lead_client.get(response.url))
    assert "CQC report INS2-4410" in page
    assert "4 March 2025" in page


def test_published_ratings_need_at_least_one_rating(lead_client):
    data = {
        "published_on_day": "4",
        "published_on_month": "3",
        "published_on_year": "2025",
        "where": "nhs-111",
    }

    response = lead_client.post(reverse("assurance:record_inspection_ratings"), data)

    assert "Choose at least one rating" in text(response)
    assert not InspectionRating.objects.exists()


@pytest.mark.parametrize(
    "name", ["record_override", "record_breach", "record_inspection_ratings", "record_visit"]
)
def test_an_executive_reads_but_does_not_manage_the_framework(make_user, client_for, trust, name):
    client = client_for(make_user(Role.EXECUTIVE, trust))

    assert client.get(reverse("assurance:show_framework")).status_code == 200
    assert client.get(reverse(f"assurance:{name}")).status_code == 403


def test_the_statement_page_offers_writing_only_to_those_who_may(make_user, client_for, trust, lead_client):
    executive = client_for(make_user(Role.EXECUTIVE, trust))
    guardian = client_for(make_user(Role.GUARDIAN, trust))

    assert "Bind a measure" in text(lead_client.get(statement_url()))
    assert "Assess this statement" in text(executive.get(statement_url()))
    assert "Bind a measure" not in text(executive.get(statement_url()))
    page = text(guardian.get(statement_url()))
    assert "Assess this statement" not in page and "Bind a measure" not in page


def test_statements_exist_for_every_key_question(db):
    assert QualityStatement.objects.count() == 34
