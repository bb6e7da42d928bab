"""The second factor at sign-in: setting up the authenticator app, its codes, and recovery codes."""

import io

import pyotp
import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from candour.core.client_address import client_address
from candour.core.formatting import local_datetime
from candour.people import queries, services
from candour.people.forms import RecoveryCodeForm, TwoFactorCodeForm
from candour.people.middleware import SESSION_KEY
from candour.people.views.sign_in import client_refused_message, next_url, safe_next

CODE_WRONG = (
    "The code is not right, or it was used already. Wait {seconds} seconds, then enter the newest code"
)
RECOVERY_CODE_WRONG = (
    "That recovery code is not right, or it was used already. Wait {seconds} seconds and try again"
)
CODE_TOO_SOON = "Wait {seconds} seconds before you enter another code"
PAUSED = (
    "Sign-in is paused after too many wrong attempts. Try again after {until}, or ask your system "
    "administrator to lift the pause."
)


def _second_factor_passed(request):
    request.session.cycle_key()
    request.session[SESSION_KEY] = True
    return redirect(next_url(request))


def _paused(request, outcome: services.CodeOutcome):
    """The account paused while a code was being entered: sign-in starts again once the pause is over."""
    logout(request)
    messages.error(request, PAUSED.format(until=local_datetime(outcome.paused_until)))
    return redirect("people:sign_in")


def _code_problem(outcome: services.CodeOutcome, wrong: str) -> str:
    if outcome.client_refused:
        return client_refused_message()
    if outcome.wrong:
        return wrong.format(seconds=outcome.wait_seconds)
    return CODE_TOO_SOON.format(seconds=outcome.wait_seconds)


def _qr_svg(uri: str) -> str:
    svg = io.BytesIO()
    qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage).save(svg)
    return svg.getvalue().decode().partition("?>")[2]


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def set_up_two_factor(request):
    device = services.start_two_factor_enrolment(user=request.user)
    if device.confirmed_at:
        return redirect("people:verify_two_factor")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolled = services.confirm_two_factor(user=request.user, code=form.cleaned_data["code"])
        if enrolled:
            request.session.cycle_key()
            request.session[SESSION_KEY] = True
            # Shown in this answer only: the codes are kept nowhere but as hashes.
            return render(
                request,
                "people/show_new_recovery_codes.jinja",
                {"codes": enrolled.recovery_codes, "next": next_url(request), "just_enrolled": True},
            )
        form.add_error(
            "code", "The code is not right. Check the time on your phone and enter the newest code"
        )
    uri = pyotp.TOTP(device.secret).provisioning_uri(name=request.user.email, issuer_name="Candour")
    return render(
        request,
        "people/set_up_two_factor.jinja",
        {"form": form, "secret": device.secret, "qr_svg": _qr_svg(uri), "next": safe_next(request)},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def verify_two_factor(request):
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = services.verify_two_factor(
            user=request.user, code=form.cleaned_data["code"], client=client_address(request)
        )
        if outcome.passed:
            return _second_factor_passed(request)
        if outcome.paused_until:
            return _paused(request, outcome)
        form.add_error("code", _code_problem(outcome, CODE_WRONG))
    return render(request, "people/verify_two_factor.jinja", {"form": form, "next": safe_next(request)})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def use_recovery_code(request):
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = services.use_recovery_code(
            user=request.user, code=form.cleaned_data["code"], client=client_address(request)
        )
        if outcome.passed:
            left = outcome.recovery_codes_left
            messages.info(
                request,
                f"You have {left} recovery code{'' if left == 1 else 's'} left. If your phone is lost, ask "
                "your system administrator to reset your two-factor sign-in.",
            )
            return _second_factor_passed(request)
        if outcome.paused_until:
            return _paused(request, outcome)
        form.add_error("code", _code_problem(outcome, RECOVERY_CODE_WRONG))
    return render(request, "people/use_recovery_code.jinja", {"form": form, "next": safe_next(request)})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def show_recovery_codes(request):
    """How many recovery codes are left, and new ones (shown once) on request."""
    if not queries.has_second_factor(request.user):
        return redirect("people:set_up_two_factor")
    if not request.session.get(SESSION_KEY):
        return redirect("people:verify_two_factor")
    if request.method == "POST":
        codes = services.replace_recovery_codes(user=request.user)
        return render(request, "people/show_new_recovery_codes.jinja", {"codes": codes, "next": ""})
    left = queries.recovery_codes_left(request.user)
    return render(request, "people/show_recovery_codes.jinja", {"left": left})
