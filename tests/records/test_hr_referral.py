"""An access alert reviewed as not justified can be referred to HR by the information governance lead: once,
audited, and only that kind of alert."""

import pytest
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.people.roles import Role
from candour.records import services
from candour.records.models import AccessAlert
from tests.records.walk import _access_alert
from tests.support.factories import make_user


@pytest.fixture
def alert(records_trust):
    return AccessAlert.objects.get(public_id=_access_alert(records_trust.north))


@pytest.fixture
def lead(records_trust):
    return make_user(Role.INFORMATION_GOVERNANCE_LEAD, records_trust.trust)


def _refer(client, alert):
    return client.post(reverse("records:refer_access_alert", kwargs={"alert_id": alert.public_id}))


def test_an_alert_found_not_justified_is_referred_to_hr_once_and_audited(client, alert, lead):
    services.review_alert(by=lead, alert=alert, justified=False, note="No work reason given.")
    client.force_login(lead)
    page = client.get(reverse("records:review_access_alert", kwargs={"alert_id": alert.public_id}))
    assert "Refer to HR" in page.content.decode()

    assert _refer(client, alert).status_code == 302
    assert _refer(client, alert).status_code == 302

    alert.refresh_from_db()
    assert alert.referred_to_hr_at is not None and alert.referred_by == lead
    events = AuditEvent.objects.filter(action="referred_access_alert_to_hr")
    assert events.count() == 1
    assert "No work reason" not in str(events.get().changes)
    page = client.get(reverse("records:review_access_alert", kwargs={"alert_id": alert.public_id}))
    assert "Referred to HR by" in page.content.decode() and "Refer to HR<" not in page.content.decode()


@pytest.mark.parametrize("justified", [None, True])
def test_an_open_or_justified_alert_cannot_be_referred(client, alert, lead, justified):
    if justified is not None:
        services.review_alert(by=lead, alert=alert, justified=justified, note="For the coroner.")
    client.force_login(lead)

    response = client.post(
        reverse("records:refer_access_alert", kwargs={"alert_id": alert.public_id}), follow=True
    )

    assert "Only an alert reviewed as not justified can be referred to HR." in response.content.decode()
    alert.refresh_from_db()
    assert alert.referred_to_hr_at is None
    assert not AuditEvent.objects.filter(action="referred_access_alert_to_hr").exists()


def test_only_the_information_governance_lead_in_scope_may_refer(client, alert, lead, records_trust):
    services.review_alert(by=lead, alert=alert, justified=False, note="No work reason given.")
    client.force_login(make_user(Role.CLINICAL_AUDIT_LEAD, records_trust.trust))
    assert _refer(client, alert).status_code == 403
    client.force_login(make_user(Role.INFORMATION_GOVERNANCE_LEAD))
    assert _refer(client, alert).status_code == 404
    client.force_login(lead)
    assert (
        client.get(reverse("records:refer_access_alert", kwargs={"alert_id": alert.public_id})).status_code
        == 405
    )
    alert.refresh_from_db()
    assert alert.referred_to_hr_at is None
