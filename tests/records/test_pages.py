"""The records pages: who may open each, nothing outside the reader's scope, and the information governance
lead's review of an access alert from the worklist."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.people.roles import Role
from candour.records import services
from candour.records.models import AccessAlert, AlertStatus, PatientRecord
from candour.speakup.models import Concern
from tests.records.walk import _access_alert, _paper_record
from tests.support.factories import StationFactory, make_user


@pytest.fixture
def world(records_trust):
    return {
        "record": PatientRecord.objects.get(public_id=_paper_record(records_trust.north)),
        "alert": AccessAlert.objects.get(public_id=_access_alert(records_trust.north)),
        "guardian": make_user(Role.INFORMATION_GOVERNANCE_LEAD, records_trust.trust),
        "audit_lead": make_user(Role.CLINICAL_AUDIT_LEAD, records_trust.trust),
        "paramedic": make_user(Role.STAFF, records_trust.north),
    }


def test_the_information_governance_lead_sees_open_alerts_in_the_worklist(client, world):
    client.force_login(world["guardian"])

    page = client.get(reverse("records:list_access_alerts")).content.decode()

    assert page.count("data-counted-row") == 1 and "WALK2" in page


def test_only_the_information_governance_lead_opens_access_alerts(client, world):
    for user in (world["audit_lead"], world["paramedic"]):
        client.force_login(user)
        assert client.get(reverse("records:list_access_alerts")).status_code == 403
        url = reverse("records:review_access_alert", kwargs={"alert_id": world["alert"].public_id})
        assert client.get(url).status_code == 403


def test_an_alert_outside_the_leads_trust_is_not_found(client, world):
    client.force_login(make_user(Role.INFORMATION_GOVERNANCE_LEAD))
    url = reverse("records:review_access_alert", kwargs={"alert_id": world["alert"].public_id})

    assert client.get(url).status_code == 404
    assert "WALK2" not in client.get(reverse("records:list_access_alerts")).content.decode()


def test_reviewing_an_alert_as_not_justified_is_kept_with_its_note_and_audited(client, world):
    client.force_login(world["guardian"])
    url = reverse("records:review_access_alert", kwargs={"alert_id": world["alert"].public_id})

    response = client.post(url, {"outcome": "not_justified", "note": "No work reason; referred to HR."})

    assert response.status_code == 302
    alert = AccessAlert.objects.get(pk=world["alert"].pk)
    assert (
        alert.status == AlertStatus.NOT_JUSTIFIED and alert.review_note == "No work reason; referred to HR."
    )
    assert alert.reviewed_by == world["guardian"]
    event = AuditEvent.objects.get(action="reviewed_access_alert")
    assert event.changes["status"] == "not_justified" and "referred" not in str(event.changes)
    reviewed = client.get(reverse("records:list_access_alerts") + "?show=reviewed").content.decode()
    assert reviewed.count("data-counted-row") == 1


def test_a_review_needs_an_outcome_and_a_note(client, world):
    client.force_login(world["guardian"])
    url = reverse("records:review_access_alert", kwargs={"alert_id": world["alert"].public_id})

    page = client.post(url, {"note": ""}).content.decode()

    assert "Select whether the access was justified" in page and "Enter why" in page
    assert AccessAlert.objects.get(pk=world["alert"].pk).status == AlertStatus.OPEN


def test_a_reviewed_alert_cannot_be_reviewed_again(client, world):
    client.force_login(world["guardian"])
    url = reverse("records:review_access_alert", kwargs={"alert_id": world["alert"].public_id})
    client.post(url, {"outcome": "justified", "note": "Clinical audit sample."})

    page = client.get(url).content.decode()

    assert "Clinical audit sample." in page and 'name="outcome"' not in page


def test_the_paper_records_page_lists_overdue_records_in_scope(client, world):
    client.force_login(world["audit_lead"])

    page = client.get(reverse("records:list_custody_exceptions")).content.decode()

    assert page.count("data-counted-row") == 1 and "WALK-NTH" in page


def test_staff_cannot_open_the_records_pages(client, world):
    client.force_login(world["paramedic"])
    assert client.get(reverse("records:list_custody_exceptions")).status_code == 403
    url = reverse("records:show_record", kwargs={"record_id": world["record"].public_id})
    assert client.get(url).status_code == 403


def test_a_record_outside_the_readers_trust_is_not_found(client, world):
    elsewhere = StationFactory()
    client.force_login(make_user(Role.CLINICAL_AUDIT_LEAD, elsewhere.parent.parent))
    url = reverse("records:show_record", kwargs={"record_id": world["record"].public_id})

    assert client.get(url).status_code == 404


def test_a_record_page_shows_its_custody_and_never_the_nhs_number_unasked(client, world):
    client.force_login(world["guardian"])
    url = reverse("records:show_record", kwargs={"record_id": world["record"].public_id})

    page = client.get(url).content.decode()

    assert "Completed on scene" in page and "Show the NHS number" in page
    assert "943 476 5919" not in page
    assert not AuditEvent.objects.filter(action="viewed_nhs_number").exists()


def test_asking_for_the_nhs_number_shows_it_and_audits_the_view(client, world):
    client.force_login(world["guardian"])
    url = reverse("records:show_nhs_number", kwargs={"record_id": world["record"].public_id})

    page = client.post(url).content.decode()

    assert "943 476 5919" in page
    assert AuditEvent.objects.filter(action="viewed_nhs_number", actor=world["guardian"]).count() == 1


def test_the_clinical_audit_lead_cannot_see_nhs_numbers(client, world):
    client.force_login(world["audit_lead"])
    url = reverse("records:show_nhs_number", kwargs={"record_id": world["record"].public_id})

    assert client.post(url).status_code == 403
    record_page = reverse("records:show_record", kwargs={"record_id": world["record"].public_id})
    assert "Show the NHS number" not in client.get(record_page).content.decode()


def test_marking_a_record_lost_from_its_page_raises_a_concern(client, world):
    client.force_login(world["audit_lead"])
    url = reverse("records:mark_record_lost", kwargs={"record_id": world["record"].public_id})

    response = client.post(url, {"circumstances": "Not in the North station box; crew asked."})

    assert response.status_code == 302
    record = PatientRecord.objects.get(pk=world["record"].pk)
    assert record.lost_at is not None
    assert Concern.objects.filter(reference=record.lost_concern_reference).exists()
    listed = client.get(reverse("records:list_custody_exceptions")).content.decode()
    assert "data-counted-row" not in listed


def test_the_home_page_shows_the_guardian_the_alerts_to_review(client, world):
    client.force_login(world["guardian"])

    page = client.get(reverse("core:home")).content.decode()

    assert "Access alerts to review" in page and reverse("records:list_access_alerts") in page
    assert "Paper records overdue" in page


def test_the_home_page_of_staff_shows_no_records_cards(client, world):
    client.force_login(world["paramedic"])

    page = client.get(reverse("core:home")).content.decode()

    assert "Access alerts to review" not in page and "Paper records overdue" not in page


def test_a_record_with_no_station_is_the_trusts_to_act_on_for_trust_wide_leads(client, world):
    # A private provider's record names no station of the trust: the trust-wide leads both see it and act.
    record = world["record"]
    PatientRecord.objects.filter(pk=record.pk).update(station=None)
    client.force_login(world["guardian"])

    page = client.get(reverse("records:show_record", kwargs={"record_id": record.public_id})).content.decode()
    shown = client.post(reverse("records:show_nhs_number", kwargs={"record_id": record.public_id}))

    assert "Show the NHS number" in page and "Mark this record lost" in page
    assert "943 476 5919" in shown.content.decode()


def test_a_service_refuses_a_person_whose_scope_does_not_reach_the_record(world):
    # Whoever calls it (a view, an API, a task), a service acts only for someone who may act on the record.
    another_trusts_lead = make_user(Role.INFORMATION_GOVERNANCE_LEAD)

    with pytest.raises(PermissionDenied):
        services.reveal_nhs_number(by=another_trusts_lead, record=world["record"])
    with pytest.raises(PermissionDenied):
        services.review_alert(by=another_trusts_lead, alert=world["alert"], justified=True, note="Checked.")

    assert not AuditEvent.objects.filter(action__in=["viewed_nhs_number", "reviewed_access_alert"]).exists()
