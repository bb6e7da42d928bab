"""A witness confirms an entry by signing in themselves, on the recorder's screen, never by a typed name.

This goes through the people app's own sign-in, so a witness's wrong password counts towards their lockout
and the client's throttle like any other; it is deliberately not inside the entry's transaction, so a
refused entry does not undo those counts. A witness whose role needs a second factor gives their code too.
"""

from __future__ import annotations

from candour.core.refusals import Refused
from candour.people import services as people
from candour.people.access import needs_two_factor
from candour.people.models import User

NOT_CONFIRMED = (
    "The witness's email address, password or code is not right: the witness must sign in to confirm"
)


def confirm_witness(*, email: str, password: str, code: str = "", client: str) -> User | None:
    """The witness, once their own sign-in succeeds; None when no witness was given."""
    if not email.strip() and not password:
        return None
    outcome = people.sign_in(email=email, password=password, client=client)
    if outcome.user is None:
        raise Refused(NOT_CONFIRMED, field="witness_email")
    if needs_two_factor(outcome.user):
        checked = people.verify_two_factor(user=outcome.user, code=code.strip(), client=client)
        if not checked.passed:
            raise Refused(NOT_CONFIRMED, field="witness_code")
    return outcome.user
