"""The case-work inbox: who may use it, what it lists and in what order, and that it stays cheap."""

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candour.people.roles import Role
from candour.speakup import services
from candour.speakup.models import Category, Identity, Kind, Status, Subject
from candour.speakup.queries.inbox import INBOX_PAGE_SIZE
from tests.support.factories import PersonFactory, make_user

INBOX = reverse("speakup:list_inbox")


def _case_url(concern):
    return reverse("speakup:show_case", kwargs={"concern_id": concern.pk})


def test_inbox_lists_new_concerns_with_their_triage_date_and_overdue_marked(trust, raise_concern, client_for):
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(days=14)):
        late = raise_concern().concern
    fresh = raise_concern(identity=Identity.ANONYMOUS).concern

    page = client_for(trust.lead).get(INBOX).text

    assert "New concerns awaiting triage (2, 1 overdue)" in page
    assert "Triage overdue" in page and f"due {late.triage_due_on.day} " in page
    assert page.index(late.reference) < page.index(fresh.reference)
    assert "Anonymous" in page and "Safeguarding team" in page


def test_inbox_is_forbidden_to_staff(trust, client_for):
    response = client_for(trust.staff).get(INBOX)

    assert response.status_code == 403


def test_inbox_sends_a_signed_out_visitor_to_sign_in(db, client):
    response = client.get(INBOX)

    assert response.status_code == 302 and reverse("people:sign_in") in response.url


def test_inbox_lists_only_concerns_the_user_may_open(trust, raise_concern, client_for):
    mine = raise_concern().concern
    guardians = raise_concern(kind=Kind.PATIENT_SAFETY, subject_type=Subject.PROCESS).concern
    lead_as_subject = raise_concern(subject_person=trust.lead.person).concern
    managed = PersonFactory(station=trust.station, line_manager=trust.lead.person)
    about_a_report = raise_concern(subject_person=managed).concern

    page = client_for(trust.lead).get(INBOX).text

    assert mine.reference in page
    for hidden in (guardians, lead_as_subject, about_a_report):
        assert hidden.reference not in page


def test_inbox_never_shows_what_was_written(trust, raise_concern, client_for):
    concern = raise_concern(
        narrative="He cornered me in the locker room.", subject_type=Subject.UNKNOWN
    ).concern
    services.add_entry(by=trust.lead, concern=concern, type="note", body="Spoke to the station manager.")

    page = client_for(trust.lead).get(INBOX).text

    assert concern.reference in page
    assert "locker room" not in page and "station manager" not in page


def test_inbox_puts_my_cases_before_other_open_cases_and_leaves_out_closed(
    trust, triage, raise_concern, client_for
):
    other_lead = make_user(Role.SAFEGUARDING_LEAD, trust.trust)
    theirs = triage(raise_concern().concern, owner=other_lead)
    mine = triage(raise_concern().concern)
    closed = triage(raise_concern().concern)
    services.close(by=trust.lead, concern=closed, reason="addressed", outcome="Advice", feedback="Thanks")

    page = client_for(trust.lead).get(INBOX).text

    assert "My cases (1)" in page and "Other cases you can open (1)" in page
    assert page.index(mine.reference) < page.index(theirs.reference)
    assert closed.reference not in page


def test_inbox_filters_by_status_and_category(trust, triage, raise_concern, client_for):
    conduct = triage(raise_concern().concern)
    sexual_safety = triage(raise_concern().concern, primary_category=Category.SEXUAL_SAFETY)
    closed = triage(raise_concern().concern)
    services.close(by=trust.lead, concern=closed, reason="addressed", outcome="Advice", feedback="Thanks")
    new = raise_concern().concern
    client = client_for(trust.lead)

    by_category = client.get(INBOX, {"category": Category.SEXUAL_SAFETY}).text
    by_status = client.get(INBOX, {"status": Status.CLOSED}).text

    assert sexual_safety.reference in by_category
    assert conduct.reference not in by_category and new.reference not in by_category
    assert closed.reference in by_status and conduct.reference not in by_status


def test_inbox_pages_a_long_list_keeping_the_filters(trust, raise_concern, client_for):
    for _ in range(INBOX_PAGE_SIZE + 1):
        raise_concern(subject_type=Subject.UNKNOWN)
    client = client_for(trust.lead)

    first = client.get(INBOX, {"status": Status.NEW}).text
    second = client.get(INBOX, {"status": Status.NEW, "page": 2})

    assert "status=new&amp;page=2" in first
    assert second.status_code == 200 and "Page 1 of 2" in second.text


def test_inbox_query_count_does_not_grow_with_the_number_of_concerns(
    trust, triage, raise_concern, client_for, django_assert_max_num_queries
):
    client = client_for(trust.lead)
    raise_concern(subject_type=Subject.UNKNOWN)
    triage(raise_concern(subject_type=Subject.UNKNOWN).concern)
    client.get(INBOX)
    with CaptureQueriesContext(connection) as few:
        client.get(INBOX)
    with time_machine.travel(timezone.now() - dt.timedelta(days=30)):
        for _ in range(10):
            raise_concern(subject_type=Subject.UNKNOWN, identity=Identity.ANONYMOUS)
    for _ in range(10):
        triage(raise_concern(subject_type=Subject.UNKNOWN).concern)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INBOX)

    assert response.status_code == 200


def _row_of(page: str, reference: str) -> str:
    """The inbox's row for one case, as text."""
    start = page.index(f">{reference}</a>")
    return page[start : page.index("</tr>", start)]


def test_inbox_shows_who_it_is_about_the_next_task_and_when_it_is_due(
    trust, triage, raise_concern, client_for
):
    subject = PersonFactory(station=trust.station, given_name="Robin", family_name="Ashdown")
    case = triage(raise_concern(subject_person=subject).concern)
    later = timezone.localdate() + dt.timedelta(days=9)
    sooner = timezone.localdate() - dt.timedelta(days=1)
    services.add_task(
        by=trust.lead, concern=case, title="Speak to the rota manager", owner=trust.lead, due_on=later
    )
    services.add_task(
        by=trust.lead, concern=case, title="Call the LADO back", owner=trust.lead, due_on=sooner
    )
    process = raise_concern(subject_type=Subject.PROCESS).concern

    page = client_for(trust.lead).get(INBOX).text

    row = _row_of(page, case.reference)
    assert "Robin Ashdown" in row
    assert "Call the LADO back" in row and "Speak to the rota manager" not in row
    assert f"due {sooner.day} " in row and "Overdue" in row and trust.lead.display_name in row
    assert "A process or a place" in _row_of(page, process.reference)


def test_inbox_shows_since_when_a_referred_case_has_awaited_its_outcome(
    trust, triage, raise_concern, client_for
):
    case = triage(raise_concern().concern)
    referred_on = timezone.localdate() - dt.timedelta(days=20)
    services.refer(by=trust.lead, concern=case, agency="police", referred_on=referred_on)
    services.refer(by=trust.lead, concern=case, agency="lado", referred_on=timezone.localdate())

    row = _row_of(client_for(trust.lead).get(INBOX).text, case.reference)

    assert f"Awaiting an outcome since {referred_on.day} {referred_on:%B %Y}" in row


def test_inbox_shows_a_message_after_closure_as_new_until_the_team_answers(
    trust, triage, raise_concern, client_for
):
    case = triage(raise_concern(identity=Identity.ANONYMOUS).concern)
    services.close(by=trust.lead, concern=case, reason="addressed", outcome="Advice", feedback="Thanks")
    quiet = triage(raise_concern().concern)
    services.close(by=trust.lead, concern=quiet, reason="addressed", outcome="Advice", feedback="Thanks")
    client = client_for(trust.lead)
    services.anonymous_reporter_replies(concern=case, body="It has happened again.", submission="a" * 32)
    services.write_held_anonymous()

    written = client.get(INBOX).text
    services.message_reporter(by=trust.lead, concern=case, body="Thank you; we are looking at it.")
    answered = client.get(INBOX).text

    assert "Closed cases with a new message from the person who raised it (1)" in written
    assert "New message" in _row_of(written, case.reference) and quiet.reference not in written
    assert case.reference not in answered


def test_inbox_filters_to_new_messages_and_to_overdue_or_waiting_triage(
    trust, triage, raise_concern, client_for
):
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(days=14)):
        late = raise_concern().concern
    waiting = raise_concern().concern
    written = triage(raise_concern().concern)
    services.message_reporter(by=trust.lead, concern=written, body="Can we talk?")
    services.reporter_replies(concern=written, body="Yes.", by=trust.apprentice)
    client = client_for(trust.lead)

    overdue = client.get(INBOX, {"triage": "overdue"}).text
    not_yet = client.get(INBOX, {"triage": "waiting"}).text
    messages = client.get(INBOX, {"messages": "new"}).text

    assert late.reference in overdue and waiting.reference not in overdue and written.reference not in overdue
    assert waiting.reference in not_yet and late.reference not in not_yet
    assert (
        written.reference in messages and late.reference not in messages and waiting.reference not in messages
    )
