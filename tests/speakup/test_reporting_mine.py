"""My concerns: a named reporter sees their own concerns only, reads the messages, replies, and answers
whether they would speak up again."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from candour.core.attention import items_for
from candour.people.roles import Role
from candour.speakup import services
from candour.speakup.models import Category, Entry, Identity, Kind, SpeakUpAgain, Subject, Threshold
from tests.speakup.conftest import raise_anonymously
from tests.support.counted_rows import counted_rows

MINE = reverse("speakup:list_my_concerns")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def lead(make_user):
    return make_user(Role.SAFEGUARDING_LEAD)


@pytest.fixture
def reporter(make_user, lead):
    return make_user(Role.STAFF, lead.person.station)


def _raise(by, identity=Identity.CONFIDENTIAL, narrative="They shouted at a patient's relative."):
    if identity == Identity.ANONYMOUS:  # sent by them, but told of no one
        return raise_anonymously(
            kind=Kind.LOW_LEVEL,
            narrative=narrative,
            subject_type=Subject.COLLEAGUE,
            subject_description="A crew mate",
            station=by.person.station,
        ).concern
    return services.raise_concern(
        by=by,
        kind=Kind.LOW_LEVEL,
        identity=identity,
        narrative=narrative,
        subject_type=Subject.COLLEAGUE,
        subject_description="A crew mate",
        station=by.person.station,
    ).concern


def _triage(concern, lead):
    return services.triage(
        by=lead,
        concern=concern,
        primary_category=Category.CONDUCT,
        secondary_categories=[],
        threshold=Threshold.LOW_LEVEL,
        owner=lead,
        team=[],
    )


def _url(concern) -> str:
    return reverse("speakup:show_my_concern", kwargs={"concern_id": concern.pk})


def test_my_concerns_signed_out_goes_to_sign_in(db, client, reporter):
    concern = _raise(reporter)

    for url in (MINE, _url(concern)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("people:sign_in"))


def test_my_concerns_lists_my_named_concerns_only(client_for, reporter, make_user):
    mine = _raise(reporter, Identity.OPEN)
    confidential = _raise(reporter, Identity.CONFIDENTIAL)
    anonymous = _raise(reporter, Identity.ANONYMOUS)
    someone_elses = _raise(make_user(Role.STAFF))

    page = client_for(reporter).get(MINE)

    assert page.status_code == 200
    assert mine.reference in page.text and confidential.reference in page.text
    assert anonymous.reference not in page.text and someone_elses.reference not in page.text
    assert "Received, waiting to be looked at" in page.text


def test_my_concerns_empty_says_so(client_for, reporter):
    assert "You have not raised a concern with your name" in client_for(reporter).get(MINE).text


def test_my_concern_of_someone_else_is_not_found(client_for, reporter, make_user, lead):
    theirs = _raise(make_user(Role.STAFF, lead.person.station))
    client = client_for(reporter)

    assert client.get(_url(theirs)).status_code == 404
    assert client.post(_url(theirs), {"action": "reply", "body": "Hello"}).status_code == 404
    assert client_for(lead).get(_url(theirs)).status_code == 404  # case workers use the case pages
    assert not theirs.entries.filter(type=Entry.Type.MESSAGE_FROM_REPORTER).exists()


def test_my_concern_raised_anonymously_is_not_found_even_by_its_reporter(client_for, reporter):
    anonymous = _raise(reporter, Identity.ANONYMOUS)

    assert client_for(reporter).get(_url(anonymous)).status_code == 404


def test_my_concern_shows_messages_and_never_notes(client_for, reporter, lead):
    concern = _triage(_raise(reporter), lead)
    services.add_entry(by=lead, concern=concern, type=Entry.Type.NOTE, body="Internal: spoke to manager")
    services.message_reporter(by=lead, concern=concern, body="Can you tell us the date?")

    response = client_for(reporter).get(_url(concern))

    assert response.status_code == 200
    assert "Can you tell us the date?" in response.text and "Being looked at" in response.text
    assert "Internal: spoke to manager" not in response.text
    assert "no-store" in response["Cache-Control"]


def test_my_concern_reply_is_recorded_with_me_as_author_then_shown(client_for, reporter):
    concern = _raise(reporter)
    client = client_for(reporter)

    response = client.post(_url(concern), {"action": "reply", "body": "It was on the 3rd."})

    assert response.status_code == 302 and response.url == _url(concern)
    reply = concern.entries.get(type=Entry.Type.MESSAGE_FROM_REPORTER)
    assert (reply.author, reply.body) == (reporter, "It was on the 3rd.")
    page = client.get(response.url).text
    assert "Your message has been sent" in page and "It was on the 3rd." in page


def test_my_concern_empty_reply_is_refused(client_for, reporter):
    concern = _raise(reporter)

    response = client_for(reporter).post(_url(concern), {"action": "reply", "body": " "})

    assert response.status_code == 200
    assert "Enter your message" in response.text and "There is a problem" in response.text
    assert not concern.entries.filter(type=Entry.Type.MESSAGE_FROM_REPORTER).exists()


def test_my_concern_closed_asks_and_records_whether_i_would_speak_up_again(client_for, reporter, lead):
    concern = _triage(_raise(reporter), lead)
    services.close(by=lead, concern=concern, reason="addressed", outcome="Done", feedback="We took action.")
    client = client_for(reporter)

    asked = client.get(_url(concern)).text
    answered = client.post(_url(concern), {"action": "answer", "answer": SpeakUpAgain.YES})

    assert "We took action." in asked and "Given your experience, would you speak up again?" in asked
    assert "Tell us more" in asked and 'name="body"' in asked
    assert answered.status_code == 302
    concern.refresh_from_db()
    assert concern.speak_up_again == SpeakUpAgain.YES
    thanked = client.get(_url(concern)).text
    assert "Thank you for your answer" in thanked and "would you speak up again?" not in thanked


def test_my_concern_answer_before_closing_is_refused(client_for, reporter):
    concern = _raise(reporter)

    response = client_for(reporter).post(_url(concern), {"action": "answer", "answer": SpeakUpAgain.NO})

    assert response.status_code == 200
    concern.refresh_from_db()
    assert concern.speak_up_again == ""


def test_my_concern_script_is_shown_as_text(client_for, reporter):
    script = "<script>alert('x')</script>"
    concern = _raise(reporter, narrative=script)

    html = client_for(reporter).get(_url(concern)).text

    assert script not in html and "&lt;script&gt;" in html


def test_my_concern_closed_takes_a_message_that_reopens_the_conversation(client_for, reporter, lead):
    concern = _triage(_raise(reporter), lead)
    services.close(by=lead, concern=concern, reason="addressed", outcome="Done", feedback="We took action.")

    sent = client_for(reporter).post(_url(concern), {"action": "reply", "body": "It has started again."})

    assert sent.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "closed" and concern.conversation_reopened_on is not None
    reply = concern.entries.get(type=Entry.Type.MESSAGE_FROM_REPORTER)
    assert reply.body == "It has started again." and reply.author == reporter
    case = client_for(lead).get(reverse("speakup:show_case", kwargs={"concern_id": concern.pk})).text
    assert "Conversation reopened" in case
    assert reverse("speakup:message_reporter", kwargs={"concern_id": concern.pk}) in case


def test_the_reply_card_leads_to_my_concerns_the_team_wrote_on_last(client_for, reporter, lead):
    written_to = _triage(_raise(reporter, narrative="First"), lead)
    services.message_reporter(by=lead, concern=written_to, body="Can you tell us the date?")
    answered = _triage(_raise(reporter, narrative="Second"), lead)
    services.message_reporter(by=lead, concern=answered, body="Which station?")
    services.reporter_replies(by=reporter, concern=answered, body="Ashby")
    quiet = _raise(reporter, narrative="Third")
    client = client_for(reporter)

    card = next(item for item in items_for(reporter) if item.title == "A reply about a concern you raised")
    listed = client.get(card.url).text

    assert card.count == 1
    assert counted_rows(client, card.url)[0] == 1 and written_to.reference in listed
    assert answered.reference not in listed and quiet.reference not in listed
    assert counted_rows(client, MINE)[0] == 3
