"""Following up an anonymous concern with its receipt code: open to anyone holding the code, one answer
for every failure, guessing throttled, and the code never kept anywhere but in the reporter's hands."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from candour.people.roles import Role
from candour.speakup import services
from candour.speakup.models import Category, Concern, Entry, Kind, SpeakUpAgain, Subject, Threshold
from tests.speakup.conftest import raise_anonymously

FOLLOW_UP = reverse("speakup:follow_up")
NOT_FOUND = "We could not find a concern with that code. Check it and try again."


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def lead(make_user):
    return make_user(Role.SAFEGUARDING_LEAD)


@pytest.fixture
def raised(lead):
    """An anonymous low-level concern at the lead's station, triaged, with its receipt code."""
    raised = raise_anonymously(
        kind=Kind.LOW_LEVEL,
        narrative="A remark about my appearance.",
        subject_type=Subject.COLLEAGUE,
        subject_description="The driver on the late shift",
        station=lead.person.station,
        reporter_is_apprentice=True,
    )
    services.triage(
        by=lead,
        concern=raised.concern,
        primary_category=Category.CONDUCT,
        secondary_categories=[],
        threshold=Threshold.LOW_LEVEL,
        owner=lead,
        team=[],
    )
    return raised


def _close(concern, lead, feedback="We spoke to the colleague and they apologised."):
    services.close(by=lead, concern=concern, reason="addressed", outcome="Spoken to", feedback=feedback)


def _open(client, code, **data):
    return client.post(FOLLOW_UP, {"code": code, **data})


def _comparable(html: str) -> str:
    """The page without what legitimately differs between two requests: the CSRF and one-time form tokens,
    and the echoed code."""
    html = re.sub(r'name="(csrfmiddlewaretoken|submission)" value="[^"]*"', "", html)
    return re.sub(r'(name="code" type="text") value="[^"]*"', r"\1", html)


def test_follow_up_is_open_without_signing_in(db):
    response = Client().get(FOLLOW_UP)

    assert response.status_code == 200
    assert "Follow up a concern" in response.text
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "same-origin"


def test_follow_up_without_a_code_asks_for_one(db):
    response = _open(Client(), "")

    assert "Enter your code" in response.text and 'href="#id_code"' in response.text


def test_follow_up_with_the_code_shows_the_conversation_and_never_the_notes(raised, lead):
    concern = raised.concern
    services.add_entry(by=lead, concern=concern, type=Entry.Type.NOTE, body="Internal: manager informed")
    services.message_reporter(by=lead, concern=concern, body="Which station was it?")
    services.anonymous_reporter_replies(concern=concern, body="Ashby", submission="e" * 32)
    services.write_held_anonymous()

    response = _open(Client(), raised.receipt_code)

    assert response.status_code == 200
    text = response.text
    assert concern.reference in text and "A low-level concern about a colleague" in text
    assert "Being looked at" in text
    assert text.index("Which station was it?") < text.index("Ashby")
    assert "Internal: manager informed" not in text and "Status changed" not in text
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "same-origin"


def test_follow_up_code_works_typed_loosely(raised):
    typed = " " + raised.receipt_code.lower().replace("-", " ") + " "

    assert raised.concern.reference in _open(Client(), typed).text


def test_follow_up_never_puts_the_code_in_the_session_a_cookie_or_a_url(raised):
    client = Client()
    code = raised.receipt_code

    response = _open(client, code, action="reply", body="More detail")

    assert response.status_code == 200 and not response.has_header("Location")
    assert str(raised.concern.pk) not in response.text
    assert not client.session.keys()
    assert all(code not in cookie.value for cookie in client.cookies.values())
    assert f'action="{FOLLOW_UP}"' in response.text


def test_follow_up_wrong_and_malformed_codes_get_one_answer(raised):
    code = raised.receipt_code
    wrong = code[:-1] + ("2" if code[-1] != "2" else "3")
    unknown_lookup = ("2" if code[0] != "2" else "3") + code[1:]

    answers = [_open(Client(), typed) for typed in [wrong, unknown_lookup, "not a code"]]

    assert all(answer.status_code == 200 for answer in answers)
    assert NOT_FOUND in answers[0].text
    assert len({_comparable(answer.text) for answer in answers}) == 1


def test_follow_up_guessing_is_throttled_with_the_same_answer_even_for_the_right_code(raised, settings):
    settings.CANDOUR_RECEIPT_ATTEMPTS_PER_HOUR = 3
    client = Client()
    for _ in range(3):
        wrong_answer = _open(client, "2222-2222-2222-2222-2222-22")

    throttled = _open(client, raised.receipt_code)

    assert _comparable(throttled.text) == _comparable(wrong_answer.text)
    assert raised.concern.reference not in throttled.text
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert raised.concern.reference in _open(elsewhere, raised.receipt_code).text


def test_follow_up_reply_is_on_its_way_then_recorded_without_an_author(raised):
    response = _open(Client(), raised.receipt_code, action="reply", body="It happened twice.")

    assert "Your message has been sent" in response.text
    assert "It happened twice." in response.text and "You, on its way" in response.text
    assert not raised.concern.entries.filter(type=Entry.Type.MESSAGE_FROM_REPORTER).exists()
    services.write_held_anonymous()
    reply = raised.concern.entries.get(type=Entry.Type.MESSAGE_FROM_REPORTER)
    assert reply.body == "It happened twice." and reply.author is None


def test_follow_up_reply_sent_twice_is_sent_once(raised):
    data = {"action": "reply", "body": "It happened twice.", "submission": "f" * 32}

    first, again = (_open(Client(), raised.receipt_code, **data) for _ in range(2))

    assert "Your message has been sent" in first.text and "Your message has been sent" in again.text
    services.write_held_anonymous()
    assert raised.concern.entries.filter(type=Entry.Type.MESSAGE_FROM_REPORTER).count() == 1


def test_follow_up_before_the_batch_shows_the_concern_on_its_way_and_takes_replies(db):
    held = services.raise_anonymous_concern(
        submission="1" * 32,
        client_address="192.0.2.20",
        kind=Kind.WORKER_WELLBEING,
        narrative="No breaks on four shifts.",
        subject_type=Subject.PROCESS,
    )
    code = held.receipt.code

    shown = _open(Client(), code)
    replied = _open(Client(), code, action="reply", body="And a fifth.")
    _open(Client(), code, action="reply", body="And a sixth.")

    assert "On its way to the team" in shown.text and "No breaks on four shifts." in shown.text
    assert "Given when it reaches the team" in shown.text
    assert "Your message has been sent" in replied.text and "And a fifth." in replied.text
    services.write_held_anonymous()
    concern = Concern.objects.get(pk=held.concern_id)
    messages = concern.entries.filter(type=Entry.Type.MESSAGE_FROM_REPORTER).order_by("sequence")
    assert [entry.body for entry in messages] == ["And a fifth.", "And a sixth."]
    assert concern.reference in _open(Client(), code).text


@pytest.mark.parametrize(("body", "message"), [("", "Enter your message"), (None, "50 characters or fewer")])
def test_follow_up_empty_or_oversized_reply_is_refused(raised, settings, body, message):
    settings.CANDOUR_CONCERN_MAX_CHARACTERS = 50
    body = "x" * 51 if body is None else body

    response = _open(Client(), raised.receipt_code, action="reply", body=body)

    assert message in response.text and 'href="#id_body"' in response.text
    assert raised.concern.reference in response.text
    assert not raised.concern.entries.filter(type=Entry.Type.MESSAGE_FROM_REPORTER).exists()


def test_follow_up_reply_with_a_wrong_code_does_nothing(raised):
    response = _open(Client(), "2222-2222-2222-2222-2222-22", action="reply", body="Let me in")

    assert NOT_FOUND in response.text
    assert not Entry.objects.filter(type=Entry.Type.MESSAGE_FROM_REPORTER).exists()


def test_follow_up_closed_shows_the_outcome_and_asks_whether_they_would_speak_up_again(raised, lead):
    _close(raised.concern, lead)

    response = _open(Client(), raised.receipt_code)

    text = response.text
    assert "Outcome" in text and "We spoke to the colleague and they apologised." in text
    assert text.count("We spoke to the colleague and they apologised.") == 1
    assert "Given your experience, would you speak up again?" in text
    assert "Tell us more" in text and 'name="body"' in text


def test_follow_up_speak_up_again_is_recorded_then_thanked_and_the_code_still_opens_it(raised, lead):
    _close(raised.concern, lead)
    code = raised.receipt_code

    unanswered = _open(Client(), code, action="answer")
    answered = _open(Client(), code, action="answer", answer=SpeakUpAgain.MAYBE)

    assert "Select an answer" in unanswered.text
    assert "Thank you" in answered.text and "would you speak up again?" not in answered.text
    services.write_held_anonymous()
    raised.concern.refresh_from_db()
    assert raised.concern.speak_up_again == SpeakUpAgain.MAYBE
    assert "Tell us more" in _open(Client(), code).text


def test_follow_up_reply_to_a_closed_concern_reopens_the_conversation(raised, lead, client_for):
    _close(raised.concern, lead)

    response = _open(Client(), raised.receipt_code, action="reply", body="One more thing")

    assert "Your message has been sent" in response.text
    services.write_held_anonymous()
    raised.concern.refresh_from_db()
    assert raised.concern.conversation_reopened_on is not None
    assert raised.concern.entries.filter(type=Entry.Type.MESSAGE_FROM_REPORTER).get().body == "One more thing"
    case = client_for(lead).get(reverse("speakup:show_case", kwargs={"concern_id": raised.concern.pk}))
    assert "Conversation reopened" in case.text


def test_follow_up_script_in_messages_is_shown_as_text(raised, lead):
    script = "<script>alert('x')</script>"
    services.message_reporter(by=lead, concern=raised.concern, body=script)

    response = _open(Client(), raised.receipt_code, action="reply", body=script)

    assert script not in response.text
    assert response.text.count("&lt;script&gt;") >= 2


@pytest.mark.parametrize("url", [reverse("people:sign_in"), FOLLOW_UP])
def test_demo_banner_is_shown_signed_out_on_the_sign_in_and_follow_up_pages(db, settings, url):
    settings.CANDOUR_REQUIRE_2FA = False

    response = Client().get(url)

    assert 'class="candour-demo-banner"' in response.text
    assert "Do not enter real information" in response.text


def test_demo_banner_is_not_shown_when_two_factor_sign_in_is_required(db, settings):
    settings.CANDOUR_REQUIRE_2FA = True

    assert 'class="candour-demo-banner"' not in Client().get(FOLLOW_UP).text
