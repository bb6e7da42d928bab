"""Harm reviews of long waits: opened by the CAD import when a response is over its threshold (once per
incident, never reopened), completed by a reviewer, escalated once each when overdue, and the pages that
show and work them."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from candour.core.attention import items_for
from candour.core.models import AuditEvent, OutboxMessage
from candour.core.refusals import Refused
from candour.operations.importers import import_cad_incidents
from candour.operations.models import HarmReview, ReviewStatus
from candour.operations.queries.harm_reviews import timeline
from candour.operations.services import complete_review, escalate_overdue_reviews
from candour.operations.tasks import escalate_overdue_harm_reviews
from candour.people.roles import Role
from candour.speakup.models import Concern, Kind
from tests.operations.test_cad_incidents_import import csv_file, row
from tests.support.factories import StationFactory, make_user

pytestmark = pytest.mark.django_db

WORKLIST = reverse("operations:list_harm_reviews")
# 6 March 2024, the day after the incidents in the file.
IMPORTED_ON = dt.datetime(2024, 3, 6, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _on_the_day_after():
    with time_machine.travel(IMPORTED_ON, tick=False):
        yield


@pytest.fixture
def station(hospital):
    return StationFactory(code="S-NORTH")


def long_c2(incident_id="INC-1", **cells):
    """A C2 assigned at 10:01 and reached by an ambulance at 10:55: 54 minutes, over C2's 40."""
    times = {
        "first_on_scene": "2024-03-05T10:50:00+00:00",
        "first_transport_on_scene": "2024-03-05T10:55:00+00:00",
        "arrived_at_hospital": "2024-03-05T11:30:00+00:00",
        "handover_complete": "2024-03-05T11:50:00+00:00",
        "crew_clear": "2024-03-05T12:00:00+00:00",
    }
    return row(incident_id, station="S-NORTH", **{**times, **cells})


def imported(*rows):
    result = import_cad_incidents(by=None, file=csv_file(*rows))
    assert result.ok, result.errors
    return result


def review_of(incident_id="INC-1") -> HarmReview:
    return HarmReview.objects.select_related("incident__station").get(incident__incident_id=incident_id)


def complete(review, by, grade="low", **fields):
    values = {
        "patient_outcome": "Admitted, discharged after two days",
        "harm_grade": grade,
        "panel_decision": "Delay from high demand; no act or omission of the crew",
        "learning": "Share with the dispatch team",
        **fields,
    }
    return complete_review(by=by, review=review, **values)


# Opening


def test_a_response_over_its_categorys_standard_opens_a_review_due_in_14_days(station):
    imported(long_c2("INC-1"), row("INC-2", station="S-NORTH"))  # INC-2: 20 minutes, within the standard

    review = review_of("INC-1")
    assert review.status == ReviewStatus.OPEN
    assert review.threshold_seconds == 40 * 60
    assert review.reason == "C2 response of 54 minutes, over 40 minutes"
    assert review.due_on == dt.date(2024, 3, 20)
    assert not HarmReview.objects.filter(incident__incident_id="INC-2").exists()
    assert AuditEvent.objects.filter(action="opened_harm_reviews", changes__opened=1).exists()


def test_a_c2_downgraded_to_c4_opens_a_review_when_it_waited_over_two_hours(station):
    downgraded = {"retriaged_at": "2024-03-05T10:03:00+00:00", "retriaged_to": "C4"}
    # Two and a half hours: within C4's three, but over the two hours any C2 is allowed.
    imported(
        long_c2(
            "INC-1",
            **downgraded,
            first_transport_on_scene="2024-03-05T12:31:00+00:00",
            first_on_scene="2024-03-05T12:31:00+00:00",
            arrived_at_hospital="",
            handover_complete="",
            crew_clear="",
            conveyed="N",
            destination_hospital="",
        )
    )

    review = review_of("INC-1")
    assert review.threshold_seconds == 120 * 60
    assert review.reason.startswith("Coded C2, response of 2 hours 30 minutes")


def test_the_trust_can_set_its_own_threshold_for_a_category(station, settings):
    settings.CANDOUR_HARM_REVIEW_OVER_MINUTES = {**settings.CANDOUR_HARM_REVIEW_OVER_MINUTES, "C2": 60}
    settings.CANDOUR_HARM_REVIEW_DUE_DAYS = 7

    imported(long_c2("INC-1"), long_c2("INC-2", first_transport_on_scene="2024-03-05T11:05:00+00:00"))

    assert not HarmReview.objects.filter(incident__incident_id="INC-1").exists()  # 54 minutes
    assert review_of("INC-2").due_on == dt.date(2024, 3, 13)  # 64 minutes


def test_importing_again_neither_duplicates_nor_reopens_a_review(station):
    imported(long_c2("INC-1"))
    complete(review_of(), make_user(Role.OPERATIONS_MANAGER, station.parent))

    imported(long_c2("INC-1"))  # the same file
    imported(long_c2("INC-1", crew_clear="2024-03-05T12:10:00+00:00"))  # the incident changed

    review = review_of()
    assert HarmReview.objects.count() == 1
    assert review.status == ReviewStatus.COMPLETED


def test_an_incident_that_becomes_a_long_wait_on_a_later_import_opens_its_review_then(station):
    imported(row("INC-1", station="S-NORTH"))
    assert not HarmReview.objects.exists()

    imported(long_c2("INC-1"))

    assert review_of().status == ReviewStatus.OPEN


def test_the_timeline_is_every_cad_event_in_time_order(station):
    imported(long_c2("INC-1", chief_complaint_identified="2024-03-05T10:00:30+00:00"))

    events = [event.what for event in timeline(review_of().incident)]

    assert events == [
        "Call connected",
        "Chief complaint identified",
        "First resource assigned",
        "First resource on scene",
        "First transport-capable resource on scene",
        "Arrived at Northmoor General",
        "Handover complete",
        "Crew clear",
    ]


# Completing


def test_low_harm_completes_the_review_without_a_concern(station):
    imported(long_c2())
    manager = make_user(Role.OPERATIONS_MANAGER, station.parent)

    review = complete(review_of(), manager, grade="low")

    assert (review.status, review.harm_grade, review.reviewer, review.concern_reference) == (
        ReviewStatus.COMPLETED,
        "low",
        manager,
        "",
    )
    assert not Concern.objects.exists()
    assert AuditEvent.objects.filter(action="completed_harm_review", changes__harm_grade="low").exists()


@pytest.mark.parametrize("grade", ["moderate", "severe", "death"])
def test_moderate_harm_or_worse_is_raised_as_a_patient_safety_concern(station, grade):
    imported(long_c2())

    review = complete(review_of(), make_user(Role.QUALITY_LEAD, station.parent.parent), grade=grade)

    concern = Concern.objects.get()
    assert review.concern_reference == concern.reference
    assert concern.kind == Kind.PATIENT_SAFETY
    assert concern.station == station
    assert "INC-1" in concern.narrative


def test_a_review_missing_its_findings_is_refused_with_each_named_and_nothing_written(station):
    imported(long_c2())

    with pytest.raises(Refused) as refused:
        complete(review_of(), make_user(Role.OPERATIONS_MANAGER, station.parent), grade="", learning=" ")

    assert {each.field for each in refused.value.each} == {"harm_grade", "learning"}
    assert review_of().status == ReviewStatus.OPEN


def test_a_completed_review_cannot_be_completed_again(station):
    imported(long_c2())
    manager = make_user(Role.OPERATIONS_MANAGER, station.parent)
    complete(review_of(), manager)

    with pytest.raises(Refused, match="already completed"):
        complete(review_of(), manager, grade="severe")
    assert not Concern.objects.exists()


# Escalating


def test_an_overdue_review_is_escalated_once_to_the_quality_lead_and_executives(station):
    imported(long_c2("INC-1"), long_c2("INC-2"))
    trust = station.parent.parent
    lead = make_user(Role.QUALITY_LEAD, trust)
    executive = make_user(Role.EXECUTIVE, trust)
    make_user(Role.QUALITY_LEAD, StationFactory())  # another trust's: not told
    complete(review_of("INC-2"), make_user(Role.OPERATIONS_MANAGER, station.parent))

    with time_machine.travel(dt.datetime(2024, 3, 20, 7, tzinfo=dt.UTC), tick=False):
        assert escalate_overdue_reviews(today=dt.date(2024, 3, 20)) == 0  # due today: not yet overdue
    with time_machine.travel(dt.datetime(2024, 3, 21, 7, tzinfo=dt.UTC), tick=False):
        assert escalate_overdue_reviews(today=dt.date(2024, 3, 21)) == 1  # INC-1; INC-2 is completed
        assert escalate_overdue_reviews(today=dt.date(2024, 3, 22)) == 0

    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == sorted([lead.email, executive.email])
    assert "INC-1" in OutboxMessage.objects.first().body
    assert review_of("INC-1").escalated_at == dt.datetime(2024, 3, 21, 7, tzinfo=dt.UTC)


def test_the_scheduled_job_escalates_each_morning(station):
    imported(long_c2())
    make_user(Role.EXECUTIVE, station.parent.parent)
    with time_machine.travel(dt.datetime(2024, 3, 21, 7, tzinfo=dt.UTC), tick=False):
        assert escalate_overdue_harm_reviews.call() == 1


# Pages


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def page(review):
    return reverse("operations:show_harm_review", kwargs={"harm_review_id": review.public_id})


def test_the_worklist_counts_lead_to_their_rows_with_overdue_tagged(station):
    imported(long_c2("INC-1"), long_c2("INC-2"))
    manager = make_user(Role.OPERATIONS_MANAGER, station.parent)

    with time_machine.travel(dt.datetime(2024, 3, 25, 9, tzinfo=dt.UTC), tick=False):
        client = signed_in(manager)  # signed in then: a session does not last 19 days
        to_review = client.get(WORKLIST).text
        overdue = client.get(WORKLIST, {"show": "overdue"}).text

    assert "2 to review" in to_review and "2 overdue" in to_review
    assert to_review.count("data-counted-row") == 2
    assert overdue.count("data-counted-row") == 2
    assert len(re.findall(r"nhsuk-tag--red\"\s*>\s*Overdue\s*<", to_review)) == 2


def test_a_reviewer_completes_a_review_from_its_page_and_each_view_is_audited(station):
    imported(long_c2())
    review = review_of()
    manager = make_user(Role.OPERATIONS_MANAGER, station.parent)
    client = signed_in(manager)

    shown = client.get(page(review))
    answer = client.post(
        page(review),
        {
            "patient_outcome": "Admitted",
            "harm_grade": "moderate",
            "panel_decision": "Refer to the incident process",
            "learning": "Review C2 stacking",
        },
    )

    assert shown.status_code == 200 and "Complete the review" in shown.text
    assert answer.status_code == 302
    done = client.get(page(review)).text
    assert "Raised as patient safety concern" in done and "Complete the review" not in done
    assert (
        AuditEvent.objects.filter(action="viewed", actor=manager, object_id=str(review.public_id)).count()
        == 2
    )


def test_a_form_sent_twice_completes_the_review_once(station):
    imported(long_c2())
    review = review_of()
    client = signed_in(make_user(Role.OPERATIONS_MANAGER, station.parent))
    sent = {"patient_outcome": "Home", "harm_grade": "severe", "panel_decision": "Refer", "learning": "None"}

    first = client.post(page(review), sent)
    second = client.post(page(review), sent)

    assert first["Location"] == second["Location"] == page(review)
    assert Concern.objects.count() == 1


def test_an_empty_form_says_what_is_missing(station):
    imported(long_c2())
    client = signed_in(make_user(Role.OPERATIONS_MANAGER, station.parent))

    answer = client.post(page(review_of()), {})

    assert answer.status_code == 200
    assert "There is a problem" in answer.text and "Select the harm the wait caused" in answer.text
    assert review_of().status == ReviewStatus.OPEN


def test_the_eoc_manager_sees_a_review_but_cannot_complete_it(station):
    imported(long_c2())
    client = signed_in(make_user(Role.EOC_MANAGER, station.parent))

    shown = client.get(page(review_of()))
    sent = client.post(page(review_of()), {"harm_grade": "none"})

    assert shown.status_code == 200 and "Complete the review" not in shown.text
    assert sent.status_code == 403


def test_staff_cannot_see_reviews_and_another_trusts_review_is_not_found(station):
    imported(long_c2())
    elsewhere = make_user(Role.OPERATIONS_MANAGER, StationFactory().parent)

    assert signed_in(make_user(Role.STAFF, station)).get(WORKLIST).status_code == 403
    assert signed_in(elsewhere).get(page(review_of())).status_code == 404
    assert "data-counted-row" not in signed_in(elsewhere).get(WORKLIST).text


def test_the_overview_shows_long_waits_awaiting_review(station):
    imported(long_c2("INC-1"), long_c2("INC-2"))
    complete(review_of("INC-2"), make_user(Role.OPERATIONS_MANAGER, station.parent))

    overview = signed_in(make_user(Role.EXECUTIVE, station.parent.parent)).get(
        reverse("operations:show_overview")
    )

    assert re.search(r"1 long wait\s+awaiting review", overview.text)


def test_the_home_card_counts_open_reviews_for_those_who_complete_them_urgent_once_overdue(station):
    imported(long_c2("INC-1"), long_c2("INC-2"))
    manager = make_user(Role.OPERATIONS_MANAGER, station.parent)

    card = next(item for item in items_for(manager) if item.title == "Harm reviews of long waits")
    with time_machine.travel(dt.datetime(2024, 3, 21, 9, tzinfo=dt.UTC), tick=False):
        overdue = next(item for item in items_for(manager) if item.title == "Harm reviews of long waits")

    assert (card.count, card.urgent, card.url) == (2, False, WORKLIST)
    assert (overdue.count, overdue.urgent) == (2, True)
    assert not any(
        item.title == "Harm reviews of long waits"
        for item in items_for(make_user(Role.EOC_MANAGER, station.parent))
    )
