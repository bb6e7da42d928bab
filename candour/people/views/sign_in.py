"""Signing in with a password, and signing out."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from candour.core.client_address import client_address
from candour.people import services
from candour.people.forms import SignInForm

# One answer for every failure: a wrong password, an address with no account, a paused or closed account.
SIGN_IN_FAILED = "Enter a correct email address and password"
CLIENT_REFUSED = (
    "There have been too many failed sign-ins from your network. Try again in {minutes} minutes, or contact "
    "your system administrator."
)


def safe_next(request) -> str:
    """The page to go on to, if it is one of ours: never another site, whatever was written in `next`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def next_url(request) -> str:
    return safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


def client_refused_message() -> str:
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
            return redirect(next_url(request))
        form.add_error(None, client_refused_message() if outcome.client_refused else SIGN_IN_FAILED)
    return render(request, "people/sign_in.jinja", {"form": form, "next": safe_next(request)})


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        services.record_sign_out(user=request.user)
    logout(request)
    messages.success(request, "You have signed out")
    return redirect("people:sign_in")
