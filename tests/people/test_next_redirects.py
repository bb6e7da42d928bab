"""Every page that reads a `next` (sign-in, the second factor, its recovery code, the first set-up) goes
on only to a page of Candour's own, whatever was written in it; the password reset pages read none."""

import datetime as dt
import re
from urllib.parse import urlencode

import pyotp
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candour.people import services
from candour.people.models import TwoFactorDevice
from candour.people.roles import Role
from tests.support.factories import user_password

HOME = reverse("core:home")
SIGN_IN = reverse("people:sign_in")
VERIFY = reverse("people:verify_two_factor")
RECOVERY = reverse("people:use_recovery_code")
SET_UP = reverse("people:set_up_two_factor")
ELSEWHERE = [
    "//evil.example",
    "///evil.example",
    "https://evil.example",
    "http://evil.example/sign-in/",
    "https:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "http:/\\evil.example",
    "\t//evil.example",
    " //evil.example",
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://testserver@evil.example/",
    "//testserver.evil.example",
]


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.CANDOUR_REQUIRE_2FA = True


def _enrolled(user) -> pyotp.TOTP:
    device = services.start_two_factor_enrolment(user=user)
    with time_machine.travel(timezone.now() - dt.timedelta(minutes=5)):
        services.confirm_two_factor(user=user, code=pyotp.TOTP(device.secret).now())
    return pyotp.TOTP(device.secret)


def _hidden_next(html: str) -> str:
    return re.search(r'name="next" value="([^"]*)"', html).group(1)


@pytest.mark.parametrize("target", ELSEWHERE)
def test_sign_in_never_goes_on_to_another_site(make_user, target):
    user = make_user()
    page = Client().get(SIGN_IN, {"next": target})

    posted = Client().post(SIGN_IN, {"email": user.email, "password": user_password(), "next": target})
    queried = Client().post(f"{SIGN_IN}?{_query(target)}", {"email": user.email, "password": user_password()})

    assert _hidden_next(page.text) == ""
    assert posted.url == queried.url == HOME


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_second_factor_never_goes_on_to_another_site(make_user, target):
    guardian = make_user(Role.GUARDIAN)
    totp = _enrolled(guardian)
    client = Client()
    client.post(SIGN_IN, {"email": guardian.email, "password": user_password(), "next": target})

    assert _hidden_next(client.get(VERIFY, {"next": target}).text) == ""
    response = client.post(f"{VERIFY}?{_query(target)}", {"code": totp.now(), "next": target})

    assert response.status_code == 302 and response.url == HOME


@pytest.mark.parametrize("target", ELSEWHERE)
def test_a_recovery_code_never_goes_on_to_another_site(make_user, target):
    guardian = make_user(Role.GUARDIAN)
    _enrolled(guardian)
    code = services.replace_recovery_codes(user=guardian)[0]
    client = Client()
    client.post(SIGN_IN, {"email": guardian.email, "password": user_password()})

    response = client.post(f"{RECOVERY}?{_query(target)}", {"code": code, "next": target})

    assert response.status_code == 302 and response.url == HOME


@pytest.mark.parametrize("target", ELSEWHERE[:6])
def test_setting_up_the_second_factor_never_goes_on_to_another_site(make_user, target):
    guardian = make_user(Role.GUARDIAN)
    client = Client()
    client.post(SIGN_IN, {"email": guardian.email, "password": user_password()})
    client.get(SET_UP)
    secret = TwoFactorDevice.objects.get(user=guardian).secret

    page = client.post(f"{SET_UP}?{_query(target)}", {"code": pyotp.TOTP(secret).now(), "next": target})

    continue_to = re.search(r'href="([^"]*)"[^>]*>\s*I have kept my codes', page.text).group(1)
    assert continue_to == HOME


def test_a_page_asked_for_before_the_second_factor_is_where_it_goes_on_to(make_user):
    guardian = make_user(Role.GUARDIAN)
    totp = _enrolled(guardian)
    client = Client()
    client.post(SIGN_IN, {"email": guardian.email, "password": user_password()})

    asked = client.get(reverse("people:list_people"), {"q": "Smith"})
    assert asked.url == f"{VERIFY}?next=%2Fpeople%2F%3Fq%3DSmith"
    response = client.post(asked.url, {"code": totp.now(), "next": _hidden_next(client.get(asked.url).text)})

    assert response.url == "/people/?q=Smith"


def test_a_doubled_slash_address_asked_for_before_the_second_factor_is_not_followed(make_user):
    guardian = make_user(Role.GUARDIAN)
    totp = _enrolled(guardian)
    client = Client()
    client.post(SIGN_IN, {"email": guardian.email, "password": user_password()})

    asked = client.get("//evil.example")
    response = client.post(asked.url, {"code": totp.now(), "next": "//evil.example"})

    assert response.url == HOME


@pytest.mark.parametrize("target", ELSEWHERE[:6])
def test_the_password_reset_pages_read_no_next(make_user, target):
    user = make_user()

    asked = Client().post(
        f"{reverse('people:forgot_password')}?{_query(target)}", {"email": user.email, "next": target}
    )

    assert asked.url == reverse("people:password_reset_sent")
    assert "evil.example" not in Client().get(reverse("people:password_reset_sent"), {"next": target}).text


def _query(target: str) -> str:
    return urlencode({"next": target})
