"""People pages: sign-in, the second factor and password reset, the directory, a person, the organisation,
the audit log."""

import io

import pyotp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from candour.core.client_address import client_address
from candour.core.decorators import read_only
from candour.core.formatting import local_datetime
from candour.core.models import AuditEvent
from candour.core.refusals import Refused, submit
from candour.people import queries, services
from candour.people.access import can, scope_of
from candour.people.decorators import permission_required
from candour.people.forms import (
    ForgottenPasswordForm,
    NewPasswordForm,
    PeopleFilterForm,
    RecoveryCodeForm,
    ResetTwoFactorForm,
    SignInForm,
    TwoFactorCodeForm,
)
from candour.people.middleware import SESSION_KEY
from candour.people.models import OrgUnit, User
from candour.people.roles import Permission

# One answer for every failure: a wrong password, an address with no account, a paused or closed account.
SIGN_IN_FAILED = "Enter a correct email address and password"
CODE_WRONG = (
    "The code is not right, or it was used already. Wait {seconds} seconds, then enter the newest code"
)
RECOVERY_CODE_WRONG = (
    "That recovery code is not right, or it was used already. Wait {seconds} seconds and try again"
)
CODE_TOO_SOON = "Wait {seconds} seconds before you enter another code"
CLIENT_REFUSED = (
    "There have been too many failed sign-ins from your network. Try again in {minutes} minutes, or contact "
    "your system administrator."
)
PAUSED = (
    "Sign-in is paused after too many wrong attempts. Try again after {until}, or ask your system "
    "administrator to lift the pause."
)
# The reset pages remember the link's token here rather than in their address, so it never reaches a
# Referer header or the browser's history.
RESET_SESSION_KEY = "password_reset_token"


def safe_next(request) -> str:
    """The page to go on to, if it is one of ours: never another site, whatever was written in `next`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _next_url(request) -> str:
    return safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


def _client_refused_message() -> str:
    return CLIENT_REFUSED.format(minutes=settings.CANDOUR_SIGN_IN_CLIENT_WINDOW_MINUTES)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = services.sign_in(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            client=client_address(request),
        )
        if outcome.user:
            login(request, outcome.user, backend="candour.people.auth_backend.SessionBackend")
            return redirect(_next_url(request))
        form.add_error(None, _client_refused_message() if outcome.client_refused else SIGN_IN_FAILED)
    return render(request, "people/sign_in.jinja", {"form": form, "next": safe_next(request)})


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        services.record_sign_out(user=request.user)
    logout(request)
    messages.success(request, "You have signed out")
    return redirect("people:sign_in")


def _second_factor_passed(request):
    request.session.cycle_key()
    request.session[SESSION_KEY] = True
    return redirect(_next_url(request))


def _paused(request, outcome: services.CodeOutcome):
    """The account paused while a code was being entered: sign-in starts again once the pause is over."""
    logout(request)
    messages.error(request, PAUSED.format(until=local_datetime(outcome.paused_until)))
    return redirect("people:sign_in")


def _code_problem(outcome: services.CodeOutcome, wrong: str) -> str:
    if outcome.client_refused:
        return _client_refused_message()
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
                {"codes": enrolled.recovery_codes, "next": _next_url(request), "just_enrolled": True},
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


@sensitive_post_parameters("email")
@never_cache
@require_http_methods(["GET", "POST"])
def forgot_password(request):
    form = ForgottenPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_password_reset(email=form.cleaned_data["email"], client=client_address(request))
        return redirect("people:password_reset_sent")
    return render(request, "people/forgot_password.jinja", {"form": form})


@never_cache
@require_http_methods(["GET"])
def password_reset_sent(request):
    return render(
        request, "people/password_reset_sent.jinja", {"minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
    )


@never_cache
@require_http_methods(["GET"])
def open_password_reset(request, user_id, token):
    """The link from the email: kept in the session, then out of the address bar."""
    if services.user_for_link(user_id, token) is None:
        return render(request, "people/password_reset_stale.jinja", status=200)
    request.session[RESET_SESSION_KEY] = token
    return redirect("people:choose_new_password", user_id=user_id)


@sensitive_post_parameters("password", "password_again")
@never_cache
@require_http_methods(["GET", "POST"])
def choose_new_password(request, user_id):
    token = request.session.get(RESET_SESSION_KEY, "")
    if services.user_for_link(user_id, token) is None:
        return render(request, "people/password_reset_stale.jinja", status=200)
    form = NewPasswordForm(request.POST or None)
    changed = submit(
        request,
        form,
        lambda: services.reset_password(user_id=user_id, token=token, password=form.cleaned_data["password"]),
    )
    if changed:
        # Whoever was signed in on this browser is signed out: the reset signs nobody in.
        logout(request)
        messages.success(request, "Your password has been changed. Sign in with your new password.")
        return redirect("people:sign_in")
    return render(request, "people/choose_new_password.jinja", {"form": form})


@permission_required(Permission.VIEW_PEOPLE)
@read_only
def list_people(request):
    scope = scope_of(request.user, Permission.VIEW_PEOPLE)
    form = PeopleFilterForm(
        request.GET or None,
        units=queries.units_in_scope(scope),
        job_roles=queries.job_roles(),
        shows=[(show.value, show.label) for show in queries.shows_for(request.user)],
    )
    filters = form.cleaned_data if form.is_valid() else {}
    people = queries.directory(
        scope,
        q=filters.get("q", ""),
        unit=filters.get("unit"),
        role_code=filters.get("role", ""),
        apprentices=filters.get("apprentices", False),
        show=filters.get("show", ""),
        viewer=request.user,
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/list_people.jinja",
        {"form": form, "page": page, "total": page.paginator.count, "query": query.urlencode()},
    )


def _person_in_scope(request, person_id, permission=Permission.VIEW_PEOPLE):
    scope = scope_of(request.user, permission)
    return get_object_or_404(
        queries.people_in_scope(scope).select_related("line_manager", "core_service"), public_id=person_id
    )


@permission_required(Permission.VIEW_PEOPLE)
@read_only
def show_person(request, person_id):
    person = _person_in_scope(request, person_id)
    sign_in = None
    if can(request.user, Permission.MANAGE_SIGN_IN, person):
        sign_in = queries.sign_in_of(person)
    return render(request, "people/show_person.jinja", {"person": person, "sign_in": sign_in})


def _account_of(request, person_id) -> User:
    person = _person_in_scope(request, person_id, Permission.MANAGE_SIGN_IN)
    return get_object_or_404(User, person=person)


@permission_required(Permission.MANAGE_SIGN_IN)
@require_POST
def lift_sign_in_pause(request, person_id):
    user = _account_of(request, person_id)
    try:
        services.lift_sign_in_pause(by=request.user, user=user)
    except Refused as refusal:
        messages.info(request, refusal.message)
    else:
        messages.success(request, f"Sign-in is no longer paused for {user.display_name}")
    return redirect("people:show_person", person_id=person_id)


@permission_required(Permission.MANAGE_SIGN_IN)
@never_cache
@require_http_methods(["GET", "POST"])
def reset_two_factor(request, person_id):
    user = _account_of(request, person_id)
    form = ResetTwoFactorForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: services.reset_second_factor(by=request.user, user=user, reason=form.cleaned_data["reason"]),
    ):
        messages.success(
            request,
            f"Two-factor sign-in is reset for {user.display_name}. They set it up again at their next "
            "sign-in.",
        )
        return redirect("people:show_person", person_id=person_id)
    return render(
        request, "people/reset_two_factor.jinja", {"form": form, "account": user, "person": user.person}
    )


@permission_required(Permission.VIEW_ORGANISATION)
@read_only
def show_organisation(request):
    scope = scope_of(request.user, Permission.VIEW_ORGANISATION)
    areas = queries.organisation(scope)
    return render(
        request,
        "people/show_organisation.jinja",
        {
            "areas": areas,
            "total": sum(area.headcount for area in areas),
            "trust": OrgUnit.objects.trust(),
        },
    )


@permission_required(Permission.VIEW_AUDIT_LOG)
@read_only
def list_audit_events(request):
    events = AuditEvent.objects.select_related("actor").order_by("-sequence")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "people/list_audit_events.jinja", {"page": page})
