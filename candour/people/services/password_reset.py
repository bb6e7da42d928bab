"""A forgotten password, reset through a link sent by email (Django's token generator).

The answer to a request is the same whether or not the address has an account. A reset only changes the
password: it never signs anyone in, never touches the second factor, and never lifts a pause, so a
privileged person still passes their second factor at the next sign-in.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from candour.core import audit, outbox, throttle
from candour.core.refusals import Refused
from candour.people.models import User

SYSTEM = "password reset"
LINK_STALE = "This link has expired or has been used. Ask for a new one."


def _per_client() -> throttle.Limit:
    return throttle.Limit(
        "password-reset-client", settings.CANDOUR_PASSWORD_RESET_PER_CLIENT_PER_HOUR, dt.timedelta(hours=1)
    )


def _per_address() -> throttle.Limit:
    # So that nobody can fill a colleague's inbox with reset emails.
    return throttle.Limit(
        "password-reset-address", settings.CANDOUR_PASSWORD_RESET_PER_ADDRESS_PER_HOUR, dt.timedelta(hours=1)
    )


def reset_link(user: User) -> str:
    """The link in the email. Built from the configured address of the service, never from the request's
    Host header, which whoever asks for the reset can write."""
    path = reverse(
        "people:open_password_reset",
        kwargs={"user_id": user.public_id, "token": default_token_generator.make_token(user)},
    )
    return settings.CANDOUR_BASE_URL.rstrip("/") + path


def _email_body(link: str) -> str:
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    return (
        "Someone asked to reset the password of your Candour account.\n\n"
        f"If it was you, open this link within {minutes} minutes to choose a new password:\n\n{link}\n\n"
        "If it was not you, ignore this email: your password has not changed. If you get emails like this "
        "again, tell your system administrator.\n"
    )


@transaction.atomic
def request_password_reset(*, email: str, client: str) -> None:
    """Email a reset link to the address if it has an active account and neither this client nor this
    address has asked too often. Says nothing either way: the page answers the same for every address."""
    address = email.strip().lower()
    over_limit = throttle.exceeded(_per_client(), client) or throttle.exceeded(_per_address(), address)
    user = None if over_limit else User.objects.filter(email__iexact=address, is_active=True).first()
    if user is not None:
        audit.record(action="password_reset_requested", target=user, system=SYSTEM)
        # Through the outbox: sent by the worker after this commits, so a mail server that is down shows
        # nobody a different page, and a failure is retried and then shown to administrators.
        outbox.send([("Reset your Candour password", _email_body(reset_link(user)), None, [user.email])])
    throttle.count(_per_client(), client)
    throttle.count(_per_address(), address)


def user_for_link(user_id, token: str, *, users=User.objects) -> User | None:
    """The active user this link was made for, while the link is still good (not expired, not used: a
    new password, or a sign-in since, makes it stale)."""
    user = users.filter(public_id=user_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def reset_password(*, user_id, token: str, password: str) -> User:
    """Set a new password from a reset link. Nobody is signed in by it; every session of the account ends."""
    # Locked before the token is checked: two requests racing with one link cannot both use it.
    user = user_for_link(user_id, token, users=User.objects.select_for_update(no_key=True))
    if user is None:
        raise Refused(LINK_STALE)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise Refused(" ".join(error.messages), field="password") from None
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    audit.record(action="password_reset", target=user, system=SYSTEM)
    return user
