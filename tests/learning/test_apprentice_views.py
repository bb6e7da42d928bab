"""Apprenticeship pages: every page allowed, forbidden (403) and out of scope (404) for each kind of user, and
each form's journey through its service."""

# ruff: noqa: F811 - the fixtures imported from apprentice_fixtures are asked for by name as parameters

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.core.months import add_months
from candour.core.refusals import Refused
from candour.learning.models import Apprenticeship, OffTheJobEntry, ProgressReview, SafeguardingShareDecision
from candour.learning.services import apprenticeships as services
from tests.learning.apprentice_fixtures import GOOD_ANSWERS, fellbridge, hold_review, make_apprentice  # noqa: F401
from tests.support.factories import PersonFactory

RECORD_PAGES = [
    "show_apprenticeship",
    "edit_apprenticeship",
    "change_apprenticeship_status",
    "log_off_the_job",
    "add_placement",
    "schedule_review",
    "record_review",
    "sign_off_review",
    "decide_safeguarding_share",
    "download_transfer_pack",
]
PLAIN_PAGES = [
    "show_caseload",
    "list_my_apprenticeships",
    "start_apprenticeship",
    "list_transfers",
    "start_transfer",
    "import_transfer_bundle",
]
# Who may open which page of the apprentice's record at A1: 200, else the status each other user gets.
APPRENTICE_OWN = {"show_apprenticeship", "log_off_the_job", "sign_off_review"}
VIEW_ONLY = {"show_apprenticeship"}


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


@pytest.fixture
def held(fellbridge) -> ProgressReview:
    return hold_review(fellbridge.apprenticeship, fellbridge.today - dt.timedelta(days=1))


def _record_url(name: str, world, review=None) -> str:
    kwargs = {"apprenticeship_id": world.apprenticeship.public_id}
    if name in ("record_review", "sign_off_review"):
        kwargs["review_id"] = review.public_id
    return reverse(f"learning:{name}", kwargs=kwargs)


def _expected(name: str, who: str) -> int:
    if who == "lead":
        return 200
    if who == "apprentice":
        return 200 if name in APPRENTICE_OWN else 403
    if who == "line_manager":
        return 200 if name in VIEW_ONLY else 403
    return 404  # staff without the permission, a lead of another area or of another trust


@pytest.mark.parametrize("name", RECORD_PAGES)
@pytest.mark.parametrize("who", ["lead", "apprentice", "line_manager", "staff", "area_b_lead", "other_lead"])
def test_apprenticeship_pages_allowed_forbidden_and_out_of_scope(fellbridge, held, client_for, name, who):
    response = client_for(getattr(fellbridge, who)).get(_record_url(name, fellbridge, held))

    assert response.status_code == _expected(name, who)


@pytest.mark.parametrize("name", RECORD_PAGES + PLAIN_PAGES)
def test_apprenticeship_pages_send_the_signed_out_to_sign_in(fellbridge, held, name):
    url = _record_url(name, fellbridge, held) if name in RECORD_PAGES else reverse(f"learning:{name}")

    response = Client().get(url)

    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("show_caseload", {"lead", "area_b_lead", "other_lead", "line_manager", "safeguarding_lead"}),
        (
            "list_my_apprenticeships",
            {"lead", "area_b_lead", "other_lead", "line_manager", "safeguarding_lead", "staff", "apprentice"},
        ),
        ("start_apprenticeship", {"lead", "area_b_lead", "other_lead"}),
        ("list_transfers", {"lead", "area_b_lead", "other_lead"}),
        ("start_transfer", {"lead", "area_b_lead", "other_lead"}),
        ("import_transfer_bundle", {"lead", "area_b_lead", "other_lead"}),
    ],
)
def test_apprentice_plain_pages_allowed_and_forbidden(fellbridge, client_for, name, allowed):
    for who in (
        "lead",
        "area_b_lead",
        "other_lead",
        "line_manager",
        "safeguarding_lead",
        "staff",
        "apprentice",
    ):
        response = client_for(getattr(fellbridge, who)).get(reverse(f"learning:{name}"))
        assert response.status_code == (200 if who in allowed else 403), who


def test_apprentice_caseload_out_of_scope_shows_nobody_from_elsewhere(fellbridge, client_for):
    page = client_for(fellbridge.other_lead).get(reverse("learning:show_caseload")).content.decode()

    assert fellbridge.apprentice.person.full_name not in page


def test_apprenticeship_transfer_cohort_pages_out_of_scope_are_not_found(fellbridge, client_for):
    services.transfer(
        by=fellbridge.lead,
        apprenticeships=[fellbridge.apprenticeship],
        to=fellbridge.new_provider,
        on=fellbridge.today,
    )
    query = {"provider": fellbridge.new_provider.public_id, "on": fellbridge.today.isoformat()}

    url = reverse("learning:show_transfer")
    assert client_for(fellbridge.lead).get(url, query).status_code == 200
    assert client_for(fellbridge.other_lead).get(url, query).status_code == 404
    assert client_for(fellbridge.area_b_lead).get(url, query).status_code == 404
    assert client_for(fellbridge.line_manager).get(url, query).status_code == 403
    assert client_for(fellbridge.lead).get(url, {"provider": "nonsense"}).status_code == 404


def test_apprenticeship_view_by_others_is_audited_and_by_the_apprentice_is_not(fellbridge, client_for):
    url = reverse(
        "learning:show_apprenticeship", kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id}
    )

    client_for(fellbridge.apprentice).get(url)
    client_for(fellbridge.line_manager).get(url)

    viewers = list(AuditEvent.objects.filter(action="viewed").values_list("actor", flat=True))
    assert viewers == [fellbridge.line_manager.pk]


# Forms, each through its service


def test_apprentice_start_form_records_an_apprenticeship_with_its_first_review(fellbridge, client_for):
    person = make_apprentice(fellbridge.a2)
    start = fellbridge.today - dt.timedelta(days=10)
    response = client_for(fellbridge.lead).post(
        reverse("learning:start_apprenticeship"),
        {
            "staff_number": person.staff_number,
            "standard": "Emergency care support worker",
            "level": "3",
            **_date("start_date", start),
            **_date("planned_end_date", start + dt.timedelta(days=450)),
            "provider": str(fellbridge.provider.public_id),
            "mentor": fellbridge.mentor.staff_number,
            "contracted_hours_per_week": "22.5",
        },
    )

    apprenticeship = person.apprenticeships.get()
    assert response.status_code == 302
    assert apprenticeship.contracted_hours_per_week == Decimal("22.5")
    assert apprenticeship.mentor == fellbridge.mentor and apprenticeship.station == fellbridge.a2
    assert apprenticeship.reviews.get().due_on == add_months(start, 3)


def test_apprentice_start_form_explains_an_unknown_staff_number(fellbridge, client_for):
    response = client_for(fellbridge.lead).post(
        reverse("learning:start_apprenticeship"), {"staff_number": "X1"}
    )

    assert "No one in your area has the staff number X1" in response.content.decode()


def test_apprentice_edit_form_changes_the_mentor_and_station(fellbridge, client_for):
    new_mentor = PersonFactory(station=fellbridge.a2)
    apprenticeship = fellbridge.apprenticeship
    response = client_for(fellbridge.lead).post(
        reverse("learning:edit_apprenticeship", kwargs={"apprenticeship_id": apprenticeship.public_id}),
        {
            "station": str(fellbridge.a2.public_id),
            "mentor": new_mentor.staff_number,
            "provider": str(fellbridge.provider.public_id),
            **_date("planned_end_date", apprenticeship.planned_end_date),
            "contracted_hours_per_week": "37.5",
        },
    )

    apprenticeship.refresh_from_db()
    assert response.status_code == 302
    assert (apprenticeship.station, apprenticeship.mentor) == (fellbridge.a2, new_mentor)
    assert set(AuditEvent.objects.get(action="updated_apprenticeship").changes) == {"station", "mentor"}


def test_apprentice_status_form_starts_a_break_in_learning_with_its_date(fellbridge, client_for):
    apprenticeship = fellbridge.apprenticeship
    client_for(fellbridge.lead).post(
        reverse(
            "learning:change_apprenticeship_status", kwargs={"apprenticeship_id": apprenticeship.public_id}
        ),
        {"to": "break", **_date("effective_on", fellbridge.today)},
    )

    apprenticeship.refresh_from_db()
    assert apprenticeship.status == Apprenticeship.Status.BREAK
    event = AuditEvent.objects.get(action="changed_apprenticeship_status")
    assert event.changes["status_changed_on"][1] == fellbridge.today.isoformat()


def test_apprentice_status_form_offers_no_way_back_from_withdrawn(fellbridge):
    apprenticeship = fellbridge.apprenticeship
    services.change_status(
        by=fellbridge.lead, apprenticeship=apprenticeship, to="withdrawn", effective_on=fellbridge.today
    )

    assert services.status_moves(apprenticeship) == []
    with pytest.raises(Refused, match="cannot become in learning"):
        services.change_status(
            by=fellbridge.lead, apprenticeship=apprenticeship, to="in_learning", effective_on=fellbridge.today
        )


@pytest.mark.parametrize("who", ["lead", "apprentice"])
def test_apprentice_off_the_job_form_logs_the_week_from_monday(fellbridge, client_for, who):
    wednesday = fellbridge.today - dt.timedelta(days=fellbridge.today.weekday()) - dt.timedelta(days=5)
    response = client_for(getattr(fellbridge, who)).post(
        reverse(
            "learning:log_off_the_job", kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id}
        ),
        {**_date("week_starting", wednesday), "hours": "7.5", "activity": "Simulation day"},
    )

    entry = OffTheJobEntry.objects.get()
    assert response.status_code == 302
    assert entry.week_starting == wednesday - dt.timedelta(days=wednesday.weekday())
    assert entry.week_starting.weekday() == 0 and entry.hours == Decimal("7.5")


@pytest.mark.parametrize(
    ("hours", "message"),
    [("0", "Hours must be more than 0"), ("40.5", "no more than 40 in a week"), ("six", "as a number")],
)
def test_apprentice_off_the_job_form_refuses_hours_out_of_bounds(fellbridge, client_for, hours, message):
    response = client_for(fellbridge.lead).post(
        reverse(
            "learning:log_off_the_job", kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id}
        ),
        {**_date("week_starting", fellbridge.today), "hours": hours, "activity": "Study"},
    )

    assert message in response.content.decode()
    assert not OffTheJobEntry.objects.exists()


def test_apprentice_off_the_job_service_refuses_forty_and_a_bit_and_allows_forty(fellbridge):
    log = {
        "by": fellbridge.lead,
        "apprenticeship": fellbridge.apprenticeship,
        "week_starting": fellbridge.today,
    }

    services.log_off_the_job(**log, hours=Decimal(40), activity="Block week")
    with pytest.raises(Refused):
        services.log_off_the_job(**log, hours=Decimal("40.1"), activity="Block week")
    with pytest.raises(Refused):
        services.log_off_the_job(**log, hours=Decimal(0), activity="Nothing")


def test_apprentice_off_the_job_refused_for_someone_elses_apprenticeship(fellbridge):
    with pytest.raises(Refused):
        services.log_off_the_job(
            by=fellbridge.line_manager,
            apprenticeship=fellbridge.apprenticeship,
            week_starting=fellbridge.today,
            hours=Decimal(6),
            activity="Teaching",
        )


def test_apprentice_placement_form_adds_a_placement(fellbridge, client_for):
    start = fellbridge.today + dt.timedelta(days=7)
    client_for(fellbridge.lead).post(
        reverse("learning:add_placement", kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id}),
        {
            "setting": "Emergency department",
            "station": "",
            **_date("starts_on", start),
            **_date("ends_on", start - dt.timedelta(days=1)),
        },
    )
    assert not fellbridge.apprenticeship.placements.exists()

    client_for(fellbridge.lead).post(
        reverse("learning:add_placement", kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id}),
        {
            "setting": "Emergency department",
            "station": str(fellbridge.a2.public_id),
            **_date("starts_on", start),
            **_date("ends_on", start + dt.timedelta(days=28)),
        },
    )
    assert fellbridge.apprenticeship.placements.get().station == fellbridge.a2


def test_apprentice_schedule_form_refuses_a_second_scheduled_review(fellbridge, client_for):
    url = reverse(
        "learning:schedule_review", kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id}
    )
    lead = client_for(fellbridge.lead)

    lead.post(url, _date("due_on", fellbridge.today + dt.timedelta(days=30)))
    response = lead.post(url, _date("due_on", fellbridge.today + dt.timedelta(days=40)))

    assert fellbridge.apprenticeship.reviews.count() == 1
    assert "A review is already scheduled" in response.content.decode()


def test_apprentice_sign_off_form_refused_with_the_missing_answers_listed(fellbridge, held, client_for):
    held.knows_safeguarding_contact = ""
    held.save()

    response = client_for(fellbridge.lead).post(
        reverse(
            "learning:sign_off_review",
            kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id, "review_id": held.public_id},
        ),
        {
            "parties": ["apprentice", "employer", "provider"],
            "employer": str(fellbridge.mentor.public_id),
            "provider_name": "Sam Provider",
            **_date("signed_on", fellbridge.today),
        },
    )

    page = response.content.decode()
    assert "This review cannot be signed off until every required answer is recorded" in page
    assert "Answer the question: Do you know who your safeguarding contact is?" in page
    held.refresh_from_db()
    assert not held.is_signed_off


def test_apprentice_sign_off_form_signs_for_all_three(fellbridge, held, client_for):
    response = client_for(fellbridge.lead).post(
        reverse(
            "learning:sign_off_review",
            kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id, "review_id": held.public_id},
        ),
        {
            "parties": ["apprentice", "employer", "provider"],
            "employer": str(fellbridge.line_manager.person.public_id),
            "provider_name": "Sam Provider",
            **_date("signed_on", fellbridge.today),
        },
        follow=True,
    )

    held.refresh_from_db()
    assert held.is_signed_off and held.employer_signed_by == fellbridge.line_manager.person
    assert "Review signed off by all three" in response.content.decode()


def test_apprentice_signs_their_own_part_from_their_record(fellbridge, held, client_for):
    client_for(fellbridge.apprentice).post(
        reverse(
            "learning:sign_off_review",
            kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id, "review_id": held.public_id},
        ),
        {"agree": "on"},
    )

    held.refresh_from_db()
    assert held.apprentice_signed_on == fellbridge.today and held.employer_signed_on is None


def test_apprentice_share_form_needs_the_lawful_basis_and_the_check(fellbridge, client_for):
    url = reverse(
        "learning:decide_safeguarding_share",
        kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id},
    )

    refused = client_for(fellbridge.lead).post(url, {"summary": "Known to the safeguarding team."})
    client_for(fellbridge.lead).post(
        url,
        {"summary": "Known to the safeguarding team.", "lawful_basis": "vital_interests", "necessary": "on"},
    )

    assert "Choose lawful basis for sharing" in refused.content.decode()
    decision = SafeguardingShareDecision.objects.get()
    assert decision.lawful_basis.startswith("Vital interests") and decision.decided_by == fellbridge.lead


def test_apprentice_transfer_form_confirms_then_moves_the_cohort_to_a_new_provider(fellbridge, client_for):
    other = make_apprentice(fellbridge.b1)
    Apprenticeship.objects.create(
        person=other,
        standard="Emergency care support worker",
        level=3,
        start_date=fellbridge.today - dt.timedelta(days=30),
        planned_end_date=fellbridge.today + dt.timedelta(days=300),
        station=fellbridge.b1,
        provider=fellbridge.provider,
    )
    form = {
        "from_provider": str(fellbridge.provider.public_id),
        "level": "4",
        "station": "",
        "to_provider": "",
        "new_provider_name": "Fellside University",
        "new_provider_ukprn": "10000003",
        **_date("transfer_on", fellbridge.today),
    }
    lead = client_for(fellbridge.lead)

    check = lead.post(reverse("learning:start_transfer"), form)
    assert "Move apprentices to Fellside University" in check.content.decode()
    assert not Apprenticeship.objects.filter(status="transferred").exists()

    done = lead.post(
        reverse("learning:start_transfer"),
        {**form, "confirmed": "yes", "apprentices": [str(fellbridge.apprenticeship.public_id)]},
        follow=True,
    )

    moved = Apprenticeship.objects.get(status="transferred")
    assert moved == fellbridge.apprenticeship
    assert moved.transferred_to.name == "Fellside University" and moved.transferred_to.ukprn == "10000003"
    assert "1 apprentice transferred to Fellside University" in done.content.decode()
    assert other.apprenticeships.get().status == Apprenticeship.Status.IN_LEARNING


def _second_apprentice(fellbridge) -> Apprenticeship:
    return Apprenticeship.objects.create(
        person=make_apprentice(fellbridge.a2),
        standard="Associate ambulance practitioner",
        level=4,
        start_date=fellbridge.today - dt.timedelta(days=30),
        planned_end_date=fellbridge.today + dt.timedelta(days=300),
        station=fellbridge.a2,
        provider=fellbridge.provider,
    )


def _transfer_form(fellbridge, on: dt.date) -> dict:
    return {"to_provider": str(fellbridge.new_provider.public_id), **_date("transfer_on", on)}


def test_apprentice_transfer_confirmation_lets_the_lead_untick_apprentices(fellbridge, client_for):
    staying = _second_apprentice(fellbridge)
    lead = client_for(fellbridge.lead)
    form = _transfer_form(fellbridge, fellbridge.today)

    check = lead.post(reverse("learning:start_transfer"), form).content.decode()
    assert check.count('name="apprentices"') == 2
    assert "checked" in check

    lead.post(
        reverse("learning:start_transfer"),
        {**form, "confirmed": "yes", "apprentices": [str(fellbridge.apprenticeship.public_id)]},
    )

    assert Apprenticeship.objects.get(status="transferred") == fellbridge.apprenticeship
    staying.refresh_from_db()
    assert staying.status == Apprenticeship.Status.IN_LEARNING


def test_apprentice_transfer_confirmation_with_everyone_unticked_moves_nobody(fellbridge, client_for):
    form = _transfer_form(fellbridge, fellbridge.today)

    page = client_for(fellbridge.lead).post(reverse("learning:start_transfer"), {**form, "confirmed": "yes"})

    assert "Choose at least one apprentice to transfer" in page.content.decode()
    assert not Apprenticeship.objects.filter(status="transferred").exists()


def test_apprentice_transfer_form_plans_a_move_on_a_future_date(fellbridge, client_for):
    on = fellbridge.today + dt.timedelta(days=21)
    form = _transfer_form(fellbridge, on)
    lead = client_for(fellbridge.lead)

    done = lead.post(
        reverse("learning:start_transfer"),
        {**form, "confirmed": "yes", "apprentices": [str(fellbridge.apprenticeship.public_id)]},
        follow=True,
    ).content.decode()

    planned = Apprenticeship.objects.get(pk=fellbridge.apprenticeship.pk)
    assert (planned.status, planned.transferred_on) == (Apprenticeship.Status.IN_LEARNING, on)
    assert "1 apprentice will move to Pennine Health Academy" in done


def test_apprentice_transfer_form_needs_a_receiving_provider(fellbridge, client_for):
    response = client_for(fellbridge.lead).post(
        reverse("learning:start_transfer"), _date("transfer_on", fellbridge.today)
    )

    assert "Choose the receiving provider, or enter a new provider" in response.content.decode()


def test_apprentice_record_shows_welfare_answers_only_to_the_lead_and_the_apprentice(
    fellbridge, held, client_for
):
    url = reverse(
        "learning:show_apprenticeship", kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id}
    )

    pages = {
        who: client_for(getattr(fellbridge, who)).get(url).content.decode()
        for who in ("lead", "apprentice", "line_manager")
    }

    assert "Do you feel safe at work and on placement?" in pages["lead"]
    assert "Do you feel safe at work and on placement?" in pages["apprentice"]
    assert "Do you feel safe at work and on placement?" not in pages["line_manager"]
    assert GOOD_ANSWERS  # the held review's answers are the good ones


def test_apprentice_record_shows_a_planned_move_and_the_lead_can_cancel_it(fellbridge, client_for):
    on = fellbridge.today + dt.timedelta(days=10)
    services.transfer(
        by=fellbridge.lead, apprenticeships=[fellbridge.apprenticeship], to=fellbridge.new_provider, on=on
    )
    record = reverse(
        "learning:show_apprenticeship", kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id}
    )
    lead = client_for(fellbridge.lead)

    assert "Moving to Pennine Health Academy on" in lead.get(record).content.decode()
    assert "Cancel the move" not in client_for(fellbridge.apprentice).get(record).content.decode()

    cancelled = lead.post(
        reverse(
            "learning:cancel_planned_transfer",
            kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id},
        ),
        follow=True,
    ).content.decode()

    assert "The planned transfer is cancelled" in cancelled
    fellbridge.apprenticeship.refresh_from_db()
    assert fellbridge.apprenticeship.transferred_to is None


def test_apprentice_planned_move_cannot_be_cancelled_by_the_apprentice(fellbridge, client_for):
    services.transfer(
        by=fellbridge.lead,
        apprenticeships=[fellbridge.apprenticeship],
        to=fellbridge.new_provider,
        on=fellbridge.today + dt.timedelta(days=10),
    )
    url = reverse(
        "learning:cancel_planned_transfer", kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id}
    )

    assert client_for(fellbridge.apprentice).post(url).status_code == 403
    fellbridge.apprenticeship.refresh_from_db()
    assert fellbridge.apprenticeship.transferred_to == fellbridge.new_provider
