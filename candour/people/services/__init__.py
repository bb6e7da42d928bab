"""People and sign-in use cases: the only code that writes to the people app's tables. Each writes its
audit event, and a rule that stops a change raises `candour.core.refusals.Refused`.

This package is the people app's face to the rest of Candour; each module holds one part of the work.
"""

from candour.people.services.accounts import (
    create_user,
    grant_membership,
    lift_sign_in_pause,
    reset_second_factor,
)
from candour.people.services.password_reset import request_password_reset, reset_password, user_for_link
from candour.people.services.sign_in import SignInOutcome, record_sign_out, sign_in
from candour.people.services.two_factor import (
    CodeOutcome,
    Enrolled,
    confirm_two_factor,
    replace_recovery_codes,
    start_two_factor_enrolment,
    use_recovery_code,
    verify_two_factor,
)

__all__ = [
    "CodeOutcome",
    "Enrolled",
    "SignInOutcome",
    "confirm_two_factor",
    "create_user",
    "grant_membership",
    "lift_sign_in_pause",
    "record_sign_out",
    "replace_recovery_codes",
    "request_password_reset",
    "reset_password",
    "reset_second_factor",
    "sign_in",
    "start_two_factor_enrolment",
    "use_recovery_code",
    "user_for_link",
    "verify_two_factor",
]
