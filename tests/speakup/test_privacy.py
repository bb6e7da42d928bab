"""Privacy in the data: sensitive text is ciphertext at rest; anonymous reports carry no link or time;
only the case team and the route's lead may open a case, never its subject or the subject's manager."""

import datetime as dt

from django.db import connection

from candour.core import audit
from candour.core.models import AuditEvent, DeferredAuditEvent
from candour.people.roles import Role
from candour.speakup import access, services
from candour.speakup.models import Identity, Kind, PatientDetails
from candour.speakup.services import PatientInput
from tests.support.factories import PersonFactory, make_user

NARRATIVE = "Unmistakable narrative words 7c1e"


def _raw_dump() -> str:
    """Every value in every table, as the database stores it."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            chunks.extend(str(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_the_raw_database_holds_no_plaintext_narrative_or_patient_details(trust, raise_concern):
    raise_concern(narrative=NARRATIVE, subject_description="Tall driver from nights")
    raise_concern(
        kind=Kind.PATIENT_SAFEGUARDING,
        subject_type="patient",
        narrative="Child found alone",
        patient=PatientInput(
            is_child=True,
            name="Alexandra Quickfox",
            nhs_number="9434765919",
            date_of_birth="2019-02-03",
            address="1 Nowhere Lane",
            nature_of_risk="Neglect",
            consent="not_possible",
            local_authority_called=True,
        ),
    )

    dump = _raw_dump()

    for secret in (NARRATIVE, "Tall driver", "Alexandra Quickfox", "9434765919", "Nowhere Lane", "Neglect"):
        assert secret not in dump
    assert PatientDetails.objects.get().name == "Alexandra Quickfox"


def test_an_anonymous_concern_has_no_reporter_and_a_day_only_audit_trail(trust, raise_concern):
    raised = raise_concern(identity=Identity.ANONYMOUS)

    concern = raised.concern
    assert concern.raised_by is None and concern.reporter_professional_group == ""
    assert not AuditEvent.objects.filter(object_id=str(concern.pk)).exists()
    held = DeferredAuditEvent.objects.get(object_id=str(concern.pk))
    assert held.action == "raised"

    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert audit.flush_deferred(before=tomorrow) == 1
    event = AuditEvent.objects.get(object_id=str(concern.pk))
    assert event.actor is None and event.actor_label == "anonymous reporter"
    assert (event.occurred_at.hour, event.occurred_at.minute, event.occurred_at.second) == (0, 0, 0)
    assert audit.verify_chain().intact


def test_the_receipt_secret_is_stored_only_as_a_slow_hash(trust, raise_concern):
    raised = raise_concern(identity=Identity.ANONYMOUS)
    secret = raised.receipt_code.replace("-", "")[5:]

    assert secret not in _raw_dump()
    assert raised.concern.receipt_hash and secret not in raised.concern.receipt_hash


def test_the_subject_and_their_line_manager_cannot_open_the_case_even_as_leads(trust, raise_concern):
    manager = make_user(Role.SAFEGUARDING_LEAD, trust.trust)
    subject_user = make_user(Role.SAFEGUARDING_LEAD, trust.trust, line_manager=manager.person)
    concern = raise_concern(subject_person=subject_user.person).concern

    assert access.can_open(trust.lead, concern)
    assert not access.can_open(subject_user, concern)
    assert not access.can_open(manager, concern)
    assert concern not in access.cases_for(manager)


def test_leads_of_the_other_route_and_staff_cannot_open_a_case(trust, raise_concern):
    concern = raise_concern(kind=Kind.LOW_LEVEL).concern  # safeguarding route

    assert not access.can_open(trust.guardian, concern)
    assert not access.can_open(trust.staff, concern)
    assert not access.can_open(trust.apprentice, concern)


def test_a_lead_for_another_area_cannot_open_a_case_here(trust, raise_concern):
    from tests.support.factories import AreaFactory

    elsewhere = make_user(Role.SAFEGUARDING_LEAD, AreaFactory(parent=trust.trust))
    concern = raise_concern(subject_person=PersonFactory(station=trust.station)).concern

    assert not access.can_open(elsewhere, concern)


def test_team_members_can_open_their_case(trust, raise_concern, triage):
    colleague = make_user(Role.STAFF, trust.station)
    concern = raise_concern().concern
    triage(concern, team=[colleague])

    assert access.can_open(colleague, concern)


def test_a_concern_withheld_from_someone_is_hidden_from_them_even_as_a_lead(trust, raise_concern):
    manager = make_user(Role.SAFEGUARDING_LEAD, trust.trust)
    concern = raise_concern(subject_type="unknown", subject_person=None, withhold_from=manager.person).concern

    assert access.can_open(trust.lead, concern)
    assert not access.can_open(manager, concern)
    assert access.is_conflicted(manager, concern)


def test_task_titles_and_agency_references_are_ciphertext_at_rest_and_kept_out_of_the_audit_log(
    trust, raise_concern, triage
):
    case = triage(raise_concern().concern)
    task = services.add_task(
        by=trust.lead,
        concern=case,
        title="Ask Robin Quillfeather about the rota",
        owner=trust.lead,
        due_on=dt.date.today(),
    )
    services.complete_task(by=trust.lead, task=task)
    services.refer(
        by=trust.lead, concern=case, agency="lado", referred_on=dt.date.today(), their_reference="LADO-7Q91"
    )

    dump = _raw_dump()

    assert "Quillfeather" not in dump and "LADO-7Q91" not in dump
    assert case.tasks.get().title == "Ask Robin Quillfeather about the rota"
    assert case.referrals.get().their_reference == "LADO-7Q91"


def _flashed(response) -> list[str]:
    """The messages a response sends in its cookie, as the browser (or anyone holding it) can read them."""
    from django.contrib.messages.storage.cookie import CookieStorage

    cookie = response.cookies.get("messages")
    return [str(message) for message in CookieStorage(None)._decode(cookie.value)] if cookie else []


def test_flash_messages_never_carry_a_task_title_or_the_subject_of_a_pattern(
    trust, raise_concern, triage, client_for
):
    from django.urls import reverse

    case = triage(raise_concern().concern)
    task = services.add_task(
        by=trust.lead, concern=case, title="Ask Robin Quillfeather", owner=trust.lead, due_on=dt.date.today()
    )
    subject = PersonFactory(station=trust.station, family_name="Trethewey")
    for _ in range(3):
        raise_concern(subject_person=subject)
    client = client_for(trust.lead)

    done = client.post(
        reverse("speakup:complete_task", kwargs={"concern_id": case.pk, "task_id": task.public_id})
    )
    reviewed = client.post(reverse("speakup:review_pattern", kwargs={"person_id": subject.public_id}))

    assert _flashed(done) and not any("Quillfeather" in words for words in _flashed(done))
    assert _flashed(reviewed) and not any("Trethewey" in words for words in _flashed(reviewed))
