"""A forgotten password, reset by a link sent by email to a real SMTP server: one answer whether or not the
address has an account, a link that works once and not for long, built from the service's own address,
throttled, audited; and a reset that never signs anyone in and never gets past the second factor."""

import datetime as dt
import re

import pyotp
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candour.core import outbox
from candour.core.models import AuditEvent, OutboxMessage
from candour.people import services
from candour.people.roles import Role
from tests.people.pages import without_tokens
from tests.support.factories import user_password
from tests.support.smtp import free_port

FORGOT = reverse("people:forgot_password")
SENT = reverse("people:password_reset_sent")
SIGN_IN = reverse("people:sign_in")
HOME = reverse("core:home")
NEW_PASSWORD = "heather moor lantern quietly"
SERVICE = "https://candour.northmoor.example"


@pytest.fixture(autouse=True)
def _service_address(settings):
    settings.CANDOUR_BASE_URL = SERVICE


@pytest.fixture
def mail(smtp_server):
    """Reset requests go through the outbox, sent by the worker once their request has committed."""

    def ask(client: Client, email: str, **extra):
        response = client.post(FORGOT, {"email": email}, **extra)
        outbox.deliver_due()
        return response

    ask.server = smtp_server
    return ask


def _link(message) -> str:
    return re.search(rf"{re.escape(SERVICE)}(/sign-in/reset/\S+/)", message.body).group(1)


def _choose(client: Client, link: str, password: str = NEW_PASSWORD, again: str | None = None):
    opened = client.get(link)
    assert opened.status_code == 302, "the link was refused"
    return client.post(opened.url, {"password": password, "password_again": again or password})


def test_a_link_by_email_sets_a_new_password(make_user, mail):
    user = make_user()
    client = Client()

    asked = mail(client, user.email.upper())

    assert asked.status_code == 302 and asked.url == SENT
    [message] = mail.server.to(user.email)
    link = _link(message)
    opened = client.get(link)
    assert opened.status_code == 302 and link.split("/")[-2] not in opened.url, (
        "the token stayed in the address"
    )
    changed = client.post(opened.url, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert changed.status_code == 302 and changed.url == SIGN_IN
    assert "Your password has been changed" in client.get(SIGN_IN).text
    assert Client().post(SIGN_IN, {"email": user.email, "password": NEW_PASSWORD}).status_code == 302
    assert Client().post(SIGN_IN, {"email": user.email, "password": user_password()}).status_code == 200
    actions = set(AuditEvent.objects.filter(object_id=str(user.public_id)).values_list("action", flat=True))
    assert {"password_reset_requested", "password_reset"} <= actions


def test_every_address_gets_the_same_answer_and_only_an_account_gets_mail(make_user, mail):
    user, closed = make_user(), make_user()
    closed.is_active = False
    closed.save()

    answers = [mail(Client(), email) for email in (user.email, "nobody@test.example", closed.email)]

    assert {(answer.status_code, answer.url) for answer in answers} == {(302, SENT)}
    pages = {without_tokens(Client().get(answer.url).text) for answer in answers}
    assert len(pages) == 1 and "If the address you entered has a Candour account" in pages.pop()
    assert [message.recipients for message in mail.server.messages] == [[user.email]]


def test_the_link_uses_the_services_address_whatever_host_was_asked_for(make_user, mail):
    user = make_user()

    mail(Client(), user.email, HTTP_HOST="localhost", HTTP_X_FORWARDED_HOST="evil.example")

    [message] = mail.server.messages
    assert f"{SERVICE}/sign-in/reset/" in message.body and "evil.example" not in message.body
    assert "localhost" not in message.body


def test_a_link_works_once(make_user, mail):
    user = make_user()
    mail(Client(), user.email)
    link = _link(mail.server.messages[0])
    _choose(Client(), link)

    again = Client().get(link)

    assert again.status_code == 200 and "This link no longer works" in again.text


def test_a_link_stops_working_after_its_time(make_user, mail, settings):
    user = make_user()
    mail(Client(), user.email)
    link = _link(mail.server.messages[0])

    with time_machine.travel(timezone.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)):
        assert "This link no longer works" in Client().get(link).text


def test_a_forged_link_is_refused(make_user):
    user = make_user()
    link = reverse("people:open_password_reset", kwargs={"user_id": user.public_id, "token": "cxyz-0123abcd"})

    assert "This link no longer works" in Client().get(link).text
    choose = reverse("people:choose_new_password", kwargs={"user_id": user.public_id})
    refused = Client().post(choose, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert "This link no longer works" in refused.text
    assert Client().post(SIGN_IN, {"email": user.email, "password": user_password()}).status_code == 302


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("short", "short", "This password is too short"),
        ("password1234", "password1234", "This password is too common"),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "The passwords do not match"),
    ],
)
def test_a_weak_or_mistyped_password_is_refused_and_nothing_changes(
    make_user, mail, password, again, message
):
    user = make_user()
    mail(Client(), user.email)

    refused = _choose(Client(), _link(mail.server.messages[0]), password, again)

    assert refused.status_code == 200 and message in refused.text
    assert Client().post(SIGN_IN, {"email": user.email, "password": user_password()}).status_code == 302


def test_requests_for_one_address_are_limited(make_user, mail, settings):
    settings.CANDOUR_PASSWORD_RESET_PER_ADDRESS_PER_HOUR = 2
    user = make_user()

    answers = [mail(Client(REMOTE_ADDR=f"198.51.100.{n}"), user.email) for n in range(4)]

    assert {answer.url for answer in answers} == {SENT}
    assert len(mail.server.to(user.email)) == 2


def test_requests_from_one_client_are_limited(make_user, mail, settings):
    settings.CANDOUR_PASSWORD_RESET_PER_CLIENT_PER_HOUR = 2
    users = [make_user() for _ in range(3)]

    for user in users:
        mail(Client(REMOTE_ADDR="203.0.113.66"), user.email)

    assert len(mail.server.messages) == 2


def test_a_mail_server_that_is_down_changes_nothing_anyone_sees(make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    user = make_user()

    known = Client().post(FORGOT, {"email": user.email})
    outbox.deliver_due()
    unknown = Client().post(FORGOT, {"email": "nobody@test.example"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url) == (302, SENT)
    # The email waits for the server to come back, and goes then.
    assert OutboxMessage.objects.get(to=user.email).status == OutboxMessage.Status.PENDING


def test_a_reset_signs_nobody_in_and_the_second_factor_is_still_asked_for(make_user, mail, settings):
    settings.CANDOUR_REQUIRE_2FA = True
    guardian = make_user(Role.GUARDIAN)
    device = services.start_two_factor_enrolment(user=guardian)
    with time_machine.travel(timezone.now() - dt.timedelta(minutes=5)):
        services.confirm_two_factor(user=guardian, code=pyotp.TOTP(device.secret).now())
    # Halfway in: the password was given in this browser, the code not yet.
    browser = Client()
    browser.post(SIGN_IN, {"email": guardian.email, "password": user_password()})
    mail(browser, guardian.email)

    changed = _choose(browser, _link(mail.server.to(guardian.email)[0]))

    assert changed.url == SIGN_IN
    assert browser.get(HOME).url.startswith(SIGN_IN), "the reset left someone signed in"
    browser.post(SIGN_IN, {"email": guardian.email, "password": NEW_PASSWORD})
    assert browser.get(HOME).url == reverse("people:verify_two_factor")
    assert browser.get(reverse("people:list_people")).status_code == 302
