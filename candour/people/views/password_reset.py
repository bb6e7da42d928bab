"""A forgotten password: asking for a link, following it, and choosing a new password."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from candour.core.client_address import client_address
from candour.core.refusals import submit
from candour.people import services
from candour.people.forms import ForgottenPasswordForm, NewPasswordForm

# The reset pages remember the link's token here rather than in their address, so it never reaches a
# Referer header or the browser's history.
RESET_SESSION_KEY = "password_reset_token"


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
