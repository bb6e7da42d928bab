"""Raising a concern: choosing its kind, the form for each kind, bad input, and the receipt."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candour.core.models import SubmittedForm
from candour.people.roles import Role
from candour.speakup import services
from candour.speakup.models import Concern, HeldAnonymousWrite, Identity, Kind, PatientDetails, Route, Subject
from candour.speakup.views.reporting import RECEIPT_COOKIE
from tests.support.factories import PersonFactory, StationFactory, UserFactory

START = reverse("speakup:start_concern")
RECEIPT = reverse("speakup:show_receipt")
SCRIPT = "<script>alert('x')</script>"


def _raise_url(kind: str) -> str:
    return reverse("speakup:raise_concern", kwargs={"kind": kind})


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def reporter(make_user):
    return make_user(Role.APPRENTICE)


@pytest.fixture
def client(reporter, client_for):
    return client_for(reporter)


@pytest.fixture
def trust_leads(reporter, make_user):
    return make_user(Role.SAFEGUARDING_LEAD, reporter.person.station.trust)


def _concern(**overrides) -> dict:
    """A complete low-level concern as the form posts it, described in words and anonymous."""
    return {
        "colleague": "",
        "colleague_description": "The driver on the late shift",
        "station": "",
        "narrative": "They made a remark about my appearance in front of the crew.",
        "identity": Identity.ANONYMOUS,
        "reporter_is_apprentice": "yes",
    } | overrides


def _referral(**overrides) -> dict:
    return {
        "patient_is_child": "child",
        "patient_name": "Alex Example",
        "nhs_number": "943 476 5919",
        "patient_date_of_birth_day": "4",
        "patient_date_of_birth_month": "5",
        "patient_date_of_birth_year": "2015",
        "patient_address": "1 Example Road",
        "narrative": "No food in the house and the child was alone.",
        "nature_of_risk": "Neglect",
        "consent": PatientDetails.Consent.NOT_POSSIBLE,
        "local_authority_called": "yes",
        "local_authority_reference": "LA-123",
        "identity": Identity.OPEN,
    } | overrides


def _send(client, kind: str, data: dict):
    """Send the form as a browser does (following the redirect to the receipt), and let the next batch
    write what anonymous reporters sent, as the scheduler soon would."""
    response = client.post(_raise_url(kind), data, follow=True)
    services.write_held_anonymous()
    return response


def _receipt_code(html: str) -> str:
    groups = re.search(r'id="receipt-code"[^>]*>(.*?)</p>', html, re.S).group(1)
    return "-".join(re.findall(r'<span class="nhsuk-u-nowrap">([A-Z0-9]+)</span>', groups))


def test_start_concern_signed_out_goes_to_sign_in(db, client):
    client.logout()

    response = client.get(START)

    assert response.status_code == 302 and response.url.startswith(reverse("people:sign_in"))


@pytest.mark.parametrize(
    "url",
    [START, _raise_url(Kind.LOW_LEVEL), reverse("speakup:list_my_concerns")],
    ids=["start", "raise", "mine"],
)
def test_reporting_pages_without_any_role_are_forbidden(client_for, url):
    # Every role may raise a concern; an account that holds no role at all may not.
    response = client_for(UserFactory()).get(url)

    assert response.status_code == 403


@pytest.mark.parametrize("role", [Role.STAFF, Role.APPRENTICE, Role.EXECUTIVE, Role.SYSTEM_ADMIN])
def test_start_concern_any_role_sees_every_kind_with_a_hint(make_user, client_for, role):
    response = client_for(make_user(role)).get(START)

    assert response.status_code == 200
    for kind in Kind:
        assert f'value="{kind.value}"' in response.text
    assert "even if it seems small" in response.text
    assert "What happens next" in response.text


def test_start_concern_continues_to_the_chosen_kind(client):
    response = client.get(START, {"kind": Kind.PREVENT})

    assert response.status_code == 302 and response.url == _raise_url(Kind.PREVENT)


def test_start_concern_without_a_choice_asks_for_one(client):
    response = client.get(START, {"kind": ""})

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Select what kind of concern it is" in response.text


def test_raise_concern_signed_out_goes_to_sign_in(db, client):
    client.logout()

    for method in (client.get, client.post):
        response = method(_raise_url(Kind.LOW_LEVEL))
        assert response.status_code == 302 and response.url.startswith(reverse("people:sign_in"))
    assert not Concern.objects.exists()


def test_raise_concern_unknown_kind_is_not_found(client):
    assert client.get("/speak-up/gossip/").status_code == 404


@pytest.mark.parametrize("kind", [k for k in Kind if k != Kind.PATIENT_SAFEGUARDING])
def test_raise_concern_form_opens_for_each_kind(client, kind):
    response = client.get(_raise_url(kind))

    assert response.status_code == 200
    assert kind.label in response.text
    assert 'value="anonymous"' in response.text
    assert "nothing Candour stores links it to you" in response.text


def test_raise_concern_form_says_before_sending_that_the_code_is_shown_once(client):
    html = client.get(_raise_url(Kind.LOW_LEVEL)).text

    assert "you will see a code, once" in html
    assert html.index("you will see a code, once") < html.index("Send concern")


def test_raise_concern_form_says_plainly_what_is_known_of_a_signed_in_reporter(client, reporter):
    html = client.get(_raise_url(Kind.LOW_LEVEL)).text

    assert "What Candour knows if you stay anonymous" in html
    assert f"you are signed in as {reporter.display_name} and used it today" in html
    assert reverse("speakup:raise_anonymous_concern", kwargs={"kind": Kind.LOW_LEVEL}) in html


@pytest.mark.parametrize(
    ("kind", "extra", "route"),
    [
        (Kind.LOW_LEVEL, {}, Route.SAFEGUARDING),
        (
            Kind.EXPERIENCED,
            {"behaviour": "sexual_safety", "subject_type": Subject.UNKNOWN},
            Route.SAFEGUARDING,
        ),
        (Kind.EXPERIENCED, {"behaviour": "bullying", "subject_type": Subject.COLLEAGUE}, Route.GUARDIAN),
        (Kind.PATIENT_SAFETY, {"subject_type": Subject.PROCESS}, Route.GUARDIAN),
        (Kind.WORKER_WELLBEING, {"subject_type": Subject.UNKNOWN}, Route.GUARDIAN),
        (Kind.PREVENT, {"subject_type": Subject.PATIENT}, Route.SAFEGUARDING),
    ],
)
def test_raise_concern_each_kind_is_recorded_and_routed(client, kind, extra, route):
    response = _send(client, kind, _concern(**extra))

    assert response.status_code == 200, response.text
    concern = Concern.objects.get()
    assert (concern.kind, concern.route) == (kind, route)
    assert concern.subject_type == extra.get("subject_type", Subject.COLLEAGUE)


def test_raise_concern_anonymously_redirects_to_the_code_shown_once(client, reporter):
    sent = client.post(_raise_url(Kind.LOW_LEVEL), _concern())

    assert sent.status_code == 302 and sent.url == RECEIPT
    assert not sent.content  # nothing of the code in the redirect
    response = client.get(RECEIPT)
    code = _receipt_code(response.text)
    assert len(code.replace("-", "")) == 22
    assert "We show it only this once" in response.text and "A lost code means a new report" in response.text
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "same-origin"
    assert response.cookies[RECEIPT_COOKIE].value == ""  # deleted as it is read
    assert "Your code has been shown" in client.get(RECEIPT).text  # and not shown again
    services.write_held_anonymous()
    concern = Concern.objects.get()
    assert concern.raised_by is None and concern.identity == Identity.ANONYMOUS
    assert concern.reporter_is_apprentice is True
    assert services.find_by_receipt(code, client_address="127.0.0.1") == concern
    stored = [str(value) for value in client.session.values()] + [c.value for c in client.cookies.values()]
    assert not any(code in value or code.replace("-", "") in value for value in stored)


def test_raise_concern_anonymous_cookie_carries_no_code_and_is_sent_only_to_the_receipt(client):
    sent = client.post(_raise_url(Kind.LOW_LEVEL), _concern(submission="a" * 32))

    cookie = sent.cookies[RECEIPT_COOKIE]
    code = _receipt_code(client.get(RECEIPT).text)
    assert code.replace("-", "")[5:] not in cookie.value
    assert cookie["path"] == RECEIPT and cookie["httponly"] and cookie["samesite"] == "Strict"
    assert 0 < int(cookie["max-age"]) <= 600


def test_raise_concern_anonymous_sent_twice_is_held_once_with_the_same_code(client):
    data = _concern(submission="b" * 32)

    first = _receipt_code(client.post(_raise_url(Kind.LOW_LEVEL), data, follow=True).text)
    again = _receipt_code(client.post(_raise_url(Kind.LOW_LEVEL), data, follow=True).text)

    assert first == again
    assert HeldAnonymousWrite.objects.count() == 1
    services.write_held_anonymous()
    assert Concern.objects.count() == 1
    assert not SubmittedForm.objects.exists()  # the shared one-time table would date it


def test_raise_concern_anonymous_from_another_form_is_another_concern(client):
    first = _receipt_code(client.post(_raise_url(Kind.LOW_LEVEL), _concern(), follow=True).text)
    second = _receipt_code(client.post(_raise_url(Kind.LOW_LEVEL), _concern(), follow=True).text)

    assert first != second and HeldAnonymousWrite.objects.count() == 2


def test_raise_concern_anonymous_receipt_says_what_is_known_of_a_signed_in_reporter(client, reporter):
    html = client.post(_raise_url(Kind.LOW_LEVEL), _concern(), follow=True).text

    assert "You are signed in as " + reporter.display_name in html
    assert "It does not know that this concern is yours" in html
    assert "Nobody can know it was you" not in html


def test_raise_concern_anonymous_is_held_until_its_batch_but_leads_are_told_at_once(client, trust_leads):
    client.post(_raise_url(Kind.LOW_LEVEL), _concern())

    assert not Concern.objects.exists() and HeldAnonymousWrite.objects.count() == 1
    assert services.notify_leads_of_new_concerns() == 1
    assert services.notify_leads_of_new_concerns() == 0  # told once
    services.write_held_anonymous()
    assert Concern.objects.get().leads_notified and not HeldAnonymousWrite.objects.exists()


def test_raise_concern_anonymous_code_opens_the_conversation_signed_out(client, db):
    code = _receipt_code(client.post(_raise_url(Kind.LOW_LEVEL), _concern(), follow=True).text)
    client.logout()
    services.write_held_anonymous()

    response = client.post(reverse("speakup:follow_up"), {"code": code})

    assert Concern.objects.get().reference in response.text
    assert "They made a remark about my appearance" in response.text


def test_raise_concern_anonymous_too_many_from_one_device_are_refused(client, settings):
    settings.CANDOUR_ANONYMOUS_CONCERNS_PER_HOUR = 2
    for _ in range(2):
        client.post(_raise_url(Kind.LOW_LEVEL), _concern())

    refused = client.post(_raise_url(Kind.LOW_LEVEL), _concern())

    assert refused.status_code == 200 and services.TOO_MANY in refused.text
    assert HeldAnonymousWrite.objects.count() == 2
    elsewhere = client.post(_raise_url(Kind.LOW_LEVEL), _concern(), REMOTE_ADDR="192.0.2.44")
    assert elsewhere.status_code == 302


@pytest.mark.parametrize(("answer", "stored"), [("no", False), ("rather_not_say", None), ("", None)])
def test_raise_concern_anonymous_apprentice_answer_is_stored_as_chosen(client, answer, stored):
    _send(client, Kind.LOW_LEVEL, _concern(reporter_is_apprentice=answer))

    assert Concern.objects.get().reporter_is_apprentice is stored


@pytest.mark.parametrize("identity", [Identity.OPEN, Identity.CONFIDENTIAL])
def test_raise_concern_named_shows_the_reference_and_my_concerns(client, reporter, identity):
    response = _send(client, Kind.LOW_LEVEL, _concern(identity=identity, reporter_is_apprentice="no"))

    concern = Concern.objects.get()
    assert concern.raised_by == reporter and concern.identity == identity
    assert concern.reporter_is_apprentice is True  # from their record, not the anonymous-only question
    assert concern.reference in response.text
    assert reverse("speakup:list_my_concerns") in response.text
    assert 'id="receipt-code"' not in response.text


@pytest.mark.parametrize("typed", ["{staff_number}", "{staff_number_lower}", "  {given}   {family} "])
def test_raise_concern_about_a_colleague_found_by_staff_number_or_name(client, reporter, typed):
    colleague = PersonFactory(station=reporter.person.station, given_name="Robin", family_name="Hartley")
    typed = typed.format(
        staff_number=colleague.staff_number,
        staff_number_lower=colleague.staff_number.lower(),
        given="robin",
        family="HARTLEY",
    )

    _send(client, Kind.LOW_LEVEL, _concern(colleague=typed, colleague_description=""))

    assert Concern.objects.get().subject_person == colleague


def test_raise_concern_unknown_colleague_is_refused_and_nothing_saved(client):
    response = _send(client, Kind.LOW_LEVEL, _concern(colleague="N999999"))

    assert "We could not find a colleague with that staff number or name" in response.text
    assert 'href="#id_colleague"' in response.text
    assert not Concern.objects.exists()


def test_raise_concern_colleague_in_another_trust_is_not_found(client):
    elsewhere = PersonFactory(station=StationFactory())

    response = _send(client, Kind.LOW_LEVEL, _concern(colleague=elsewhere.staff_number))

    assert "We could not find a colleague" in response.text
    assert not Concern.objects.exists()


def test_raise_concern_colleague_who_has_left_is_not_found(client, reporter):
    left = PersonFactory(station=reporter.person.station, leave_date=timezone.localdate())

    response = _send(client, Kind.LOW_LEVEL, _concern(colleague=left.staff_number))

    assert "We could not find a colleague" in response.text


def test_raise_concern_colleague_sharing_a_name_asks_for_the_staff_number(client, reporter):
    PersonFactory.create_batch(2, station=reporter.person.station, given_name="Sam", family_name="Jones")

    response = _send(client, Kind.LOW_LEVEL, _concern(colleague="Sam Jones"))

    assert "More than one colleague has that name" in response.text
    assert not Concern.objects.exists()


def test_raise_concern_colleague_neither_named_nor_described_is_refused(client):
    response = _send(client, Kind.LOW_LEVEL, _concern(colleague_description=""))

    assert "Enter your colleague&#39;s staff number or name, or describe them" in response.text
    assert not Concern.objects.exists()


@pytest.mark.parametrize(
    ("narrative", "message"),
    [("", "Enter what happened"), ("   ", "Enter what happened"), (None, "must be 50 characters or fewer")],
)
def test_raise_concern_empty_or_oversized_text_is_refused(client, settings, narrative, message):
    settings.CANDOUR_CONCERN_MAX_CHARACTERS = 50
    narrative = "x" * 51 if narrative is None else narrative

    response = _send(client, Kind.LOW_LEVEL, _concern(narrative=narrative))

    assert response.status_code == 200
    assert "There is a problem" in response.text and message in response.text
    assert 'href="#id_narrative"' in response.text
    assert not Concern.objects.exists()


def test_raise_concern_future_date_is_refused(client):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = _concern(
        occurred_on_day=tomorrow.day, occurred_on_month=tomorrow.month, occurred_on_year=tomorrow.year
    )

    response = _send(client, Kind.LOW_LEVEL, data)

    assert "The date it happened must be today or in the past" in response.text
    assert 'href="#id_occurred_on_day"' in response.text
    assert not Concern.objects.exists()


def test_raise_concern_approximate_date_and_station_are_recorded(client, reporter):
    station = reporter.person.station
    data = _concern(
        station=str(station.public_id),
        occurred_on_day="2",
        occurred_on_month="1",
        occurred_on_year="2025",
        occurred_on_is_approximate="on",
    )

    _send(client, Kind.LOW_LEVEL, data)

    concern = Concern.objects.get()
    assert (concern.station, concern.occurred_on) == (station, dt.date(2025, 1, 2))
    assert concern.occurred_on_is_approximate is True


def test_raise_concern_station_of_another_trust_is_refused(client):
    response = _send(client, Kind.LOW_LEVEL, _concern(station=str(StationFactory().public_id)))

    assert "Select a station from the list" in response.text
    assert not Concern.objects.exists()


def test_raise_concern_keeps_everything_typed_when_refused(client, reporter):
    colleague = "Nobody By This Name"
    data = _concern(
        colleague=colleague,
        narrative="Line one\nLine two",
        identity=Identity.CONFIDENTIAL,
        occurred_on_day="31",
        occurred_on_month="2",
        occurred_on_year="2025",
        occurred_on_is_approximate="on",
        station=str(reporter.person.station.public_id),
    )

    html = _send(client, Kind.LOW_LEVEL, data).text

    assert "Enter a real date it happened" in html
    assert f'value="{colleague}"' in html
    assert "Line one\nLine two</textarea>" in html
    assert 'value="31"' in html and 'value="2025"' in html
    assert re.search(r'value="confidential"\s+checked', html)
    assert re.search(rf'value="{reporter.person.station.public_id}"\s+selected', html)
    assert re.search(r'value="on"\s+checked', html)


def test_raise_concern_script_is_shown_as_text(client):
    html = _send(client, Kind.LOW_LEVEL, _concern(narrative=SCRIPT, colleague=SCRIPT)).text

    assert SCRIPT not in html
    assert "&lt;script&gt;" in html


def test_patient_referral_is_routed_to_safeguarding_with_its_details(client, reporter):
    response = _send(client, Kind.PATIENT_SAFEGUARDING, _referral())

    assert response.status_code == 200, response.text
    concern = Concern.objects.get()
    assert (concern.route, concern.subject_type, concern.raised_by) == (
        Route.SAFEGUARDING,
        "patient",
        reporter,
    )
    patient = concern.patient
    assert patient.is_child is True and patient.nhs_number == "9434765919"
    assert patient.date_of_birth == "2015-05-04"
    assert patient.local_authority_called is True and patient.local_authority_reference == "LA-123"
    assert "gone straight to the safeguarding team" in response.text


def test_patient_referral_without_the_optional_details_is_accepted(client):
    data = _referral(
        nhs_number="",
        patient_date_of_birth_day="",
        patient_date_of_birth_month="",
        patient_date_of_birth_year="",
        local_authority_called="no",
        local_authority_reference="ignored when not called",
    )

    _send(client, Kind.PATIENT_SAFEGUARDING, data)

    patient = Concern.objects.get().patient
    assert (patient.nhs_number, patient.date_of_birth, patient.local_authority_reference) == ("", "", "")
    assert patient.local_authority_called is False


@pytest.mark.parametrize(
    ("nhs_number", "message"),
    [
        ("438 059 0096", "Enter a valid NHS number"),
        ("3459124359", "Enter a valid NHS number"),
        ("943 476 591", "NHS number must be 10 numbers"),
        ("943 476 591A", "NHS number must only include numbers and spaces"),
    ],
)
def test_patient_referral_invalid_nhs_number_is_refused(client, nhs_number, message):
    response = _send(client, Kind.PATIENT_SAFEGUARDING, _referral(nhs_number=nhs_number))

    assert message in response.text
    assert 'href="#id_nhs_number"' in response.text
    assert f'value="{nhs_number}"' in response.text
    assert not Concern.objects.exists() and not PatientDetails.objects.exists()


def test_patient_referral_future_birth_date_is_refused(client):
    next_year = str(timezone.localdate().year + 1)

    response = _send(client, Kind.PATIENT_SAFEGUARDING, _referral(patient_date_of_birth_year=next_year))

    assert "The date of birth must be today or in the past" in response.text
    assert not Concern.objects.exists()


def test_patient_referral_missing_answers_each_get_a_message(client):
    response = _send(client, Kind.PATIENT_SAFEGUARDING, {})

    for message in [
        "Select whether the patient is an adult or a child",
        "Enter the patient&#39;s name",
        "Enter where the patient lives",
        "Enter what happened",
        "Enter the risk to the patient",
        "Select whether the patient agreed to the referral",
        "Select whether you have already phoned the local authority",
        "Select how you want to be known",
    ]:
        assert message in response.text
    assert not Concern.objects.exists()


def test_patient_referral_cannot_be_anonymous(client):
    page = client.get(_raise_url(Kind.PATIENT_SAFEGUARDING)).text
    response = _send(client, Kind.PATIENT_SAFEGUARDING, _referral(identity=Identity.ANONYMOUS))

    assert 'value="anonymous"' not in page
    assert "A patient referral cannot be anonymous" in page
    assert "Select how you want to be known" in response.text
    assert not Concern.objects.exists()


# The trust's published link: anyone may raise a concern without signing in.

PUBLIC_START = reverse("speakup:start_anonymous_concern")


def _public_url(kind: str) -> str:
    return reverse("speakup:raise_anonymous_concern", kwargs={"kind": kind})


def test_anonymous_link_opens_without_signing_in_and_offers_every_kind_but_a_referral(db):
    response = Client().get(PUBLIC_START)

    assert response.status_code == 200 and "Raise a concern anonymously" in response.text
    assert f'value="{Kind.LOW_LEVEL}"' in response.text
    assert f'value="{Kind.PATIENT_SAFEGUARDING}"' not in response.text
    chosen = Client().get(PUBLIC_START, {"kind": Kind.PREVENT})
    assert chosen.status_code == 302 and chosen.url == _public_url(Kind.PREVENT)


def test_anonymous_link_form_asks_no_name_and_says_the_code_is_shown_once(db):
    response = Client().get(_public_url(Kind.LOW_LEVEL))

    assert response.status_code == 200
    assert 'name="identity"' not in response.text
    assert "After you send it you will see a code, once" in response.text
    assert "no-store" in response["Cache-Control"]


def test_anonymous_link_sends_a_concern_that_names_no_one(db, trust_leads):
    client = Client()
    data = _concern()
    del data["identity"]

    sent = client.post(_public_url(Kind.LOW_LEVEL), data)

    assert sent.status_code == 302 and sent.url == RECEIPT
    receipt = client.get(RECEIPT)
    code = _receipt_code(receipt.text)
    assert "You are signed in as" not in receipt.text and "deleted after the hour" in receipt.text
    services.write_held_anonymous()
    concern = Concern.objects.get()
    assert concern.identity == Identity.ANONYMOUS and concern.raised_by is None
    assert concern.reporter_is_apprentice is True
    assert services.find_by_receipt(code, client_address="127.0.0.1") == concern


def test_anonymous_link_never_takes_a_patient_referral(db):
    assert Client().get(_public_url(Kind.PATIENT_SAFEGUARDING)).status_code == 404


def test_anonymous_link_never_says_whether_a_name_is_on_the_staff_list(db, reporter):
    colleague = PersonFactory(station=reporter.person.station)
    client = Client()
    known = _concern(colleague=colleague.staff_number, colleague_description="")
    unknown = _concern(colleague="Nobody Atall", colleague_description="")

    answers = [client.post(_public_url(Kind.LOW_LEVEL), data) for data in (known, unknown)]

    assert [answer.status_code for answer in answers] == [302, 302]
    services.write_held_anonymous()
    linked = Concern.objects.get(subject_person=colleague)
    assert colleague.staff_number in linked.subject_description
    assert Concern.objects.get(subject_person=None).subject_description == "Nobody Atall"


def test_anonymous_link_counts_each_device_behind_the_trusts_proxy(db, settings):
    settings.CANDOUR_ANONYMOUS_CONCERNS_PER_HOUR = 1
    settings.CANDOUR_TRUSTED_PROXIES = ["10.0.0.0/8"]
    data = _concern()

    def send(device):
        return Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=device).post(
            _public_url(Kind.LOW_LEVEL), data
        )

    assert send("198.51.100.1").status_code == 302
    assert services.TOO_MANY in send("198.51.100.1").text
    assert send("198.51.100.2").status_code == 302


def test_raise_concern_named_sent_twice_is_raised_once_and_both_go_to_it(client, reporter):
    data = _concern(identity=Identity.OPEN, submission="9" * 32)

    first = client.post(_raise_url(Kind.LOW_LEVEL), data)
    again = client.post(_raise_url(Kind.LOW_LEVEL), data)

    concern = Concern.objects.get()
    assert first.url == again.url == reverse("speakup:show_sent_concern", kwargs={"concern_id": concern.pk})
    assert concern.reference in client.get(first.url).text
    assert SubmittedForm.objects.count() == 1  # a named concern is claimed by the shared one-time table
