"""People pages: sign-in and two-factor, the directory, a person, the organisation, the audit log."""

import io

import pyotp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from candour.core.decorators import read_only
from candour.core.models import AuditEvent
from candour.people import queries, services
from candour.people.access import scope_of
from candour.people.decorators import permission_required
from candour.people.forms import PeopleFilterForm, SignInForm, TwoFactorCodeForm
from candour.people.middleware import SESSION_KEY
from candour.people.models import OrgUnit
from candour.people.roles import Permission

SIGN_IN_FAILED = "Enter a correct email address and password"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = services.sign_in(email=form.cleaned_data["email"], password=form.cleaned_data["password"])
        if outcome.user:
            login(request, outcome.user, backend="candour.people.auth_backend.SessionBackend")
            return redirect(_next_url(request))
        minutes = settings.CANDOUR_LOCKOUT_MINUTES
        form.add_error(
            None,
            f"Sign-in is paused for {minutes} minutes after repeated failed attempts. Try again later."
            if outcome.locked
            else SIGN_IN_FAILED,
        )
    return render(request, "people/sign_in.jinja", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        services.record_sign_out(user=request.user)
    logout(request)
    messages.success(request, "You have signed out")
    return redirect("people:sign_in")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def set_up_two_factor(request):
    device = services.start_two_factor_enrolment(user=request.user)
    if device.confirmed_at:
        return redirect("people:verify_two_factor")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_two_factor(user=request.user, code=form.cleaned_data["code"]):
            request.session[SESSION_KEY] = True
            messages.success(request, "Two-factor sign-in is set up")
            return redirect("core:home")
        form.add_error(
            "code", "The code is not right. Check the time on your phone and enter the newest code"
        )
    uri = pyotp.TOTP(device.secret).provisioning_uri(name=request.user.email, issuer_name="Candour")
    svg = io.BytesIO()
    qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage).save(svg)
    return render(
        request,
        "people/set_up_two_factor.jinja",
        {"form": form, "secret": device.secret, "qr_svg": svg.getvalue().decode().partition("?>")[2]},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def verify_two_factor(request):
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_two_factor(user=request.user, code=form.cleaned_data["code"]):
            request.session.cycle_key()
            request.session[SESSION_KEY] = True
            return redirect(_next_url(request))
        form.add_error("code", "The code is not right, or it was used already. Enter the newest code")
    return render(request, "people/verify_two_factor.jinja", {"form": form})


@permission_required(Permission.VIEW_PEOPLE)
@read_only
def list_people(request):
    scope = scope_of(request.user, Permission.VIEW_PEOPLE)
    units = queries.units_in_scope(scope)
    form = PeopleFilterForm(request.GET or None, units=units, job_roles=queries.job_roles())
    filters = form.cleaned_data if form.is_valid() else {}
    people = queries.directory(
        scope,
        q=filters.get("q", ""),
        unit=filters.get("unit"),
        role_code=filters.get("role", ""),
        apprentices=filters.get("apprentices", False),
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/list_people.jinja",
        {"form": form, "page": page, "total": page.paginator.count, "query": query.urlencode()},
    )


@permission_required(Permission.VIEW_PEOPLE)
@read_only
def show_person(request, person_id):
    scope = scope_of(request.user, Permission.VIEW_PEOPLE)
    person = get_object_or_404(
        queries.people_in_scope(scope).select_related("line_manager", "core_service"), public_id=person_id
    )
    return render(request, "people/show_person.jinja", {"person": person})


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
