"""Administrators' pages for integrations and their keys: list, create, issue (shown once), rotate, revoke."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from candour.api import queries, services
from candour.api.access import MANAGE_INTEGRATIONS
from candour.api.forms import IntegrationForm, IssueKeyForm
from candour.api.models import ApiKey
from candour.core.decorators import read_only
from candour.core.refusals import Refused, submit
from candour.people.access import scope_of
from candour.people.decorators import permission_required


def _integration(request, integration_id):
    scope = scope_of(request.user, MANAGE_INTEGRATIONS)
    return get_object_or_404(queries.integrations_in_scope(scope), public_id=integration_id)


def _key(request, integration_id, key_id) -> ApiKey:
    integration = _integration(request, integration_id)
    return get_object_or_404(
        ApiKey.objects.select_related("integration"), integration=integration, public_id=key_id
    )


@permission_required(MANAGE_INTEGRATIONS)
@read_only
def list_integrations(request):
    scope = scope_of(request.user, MANAGE_INTEGRATIONS)
    return render(
        request,
        "api/list_integrations.jinja",
        {
            "integrations": queries.integrations_in_scope(scope),
            "can_create": queries.trust_in_scope(scope) is not None,
        },
    )


@permission_required(MANAGE_INTEGRATIONS)
@require_http_methods(["GET", "POST"])
def create_integration(request):
    trust = queries.trust_in_scope(scope_of(request.user, MANAGE_INTEGRATIONS))
    if trust is None:
        raise PermissionDenied
    form = IntegrationForm(request.POST or None)
    integration = submit(
        request, form, lambda: services.create_integration(by=request.user, trust=trust, **form.cleaned_data)
    )
    if integration:
        messages.success(request, f"{integration.name} is added. Issue it a key to let it call the API.")
        return redirect("api:show_integration", integration_id=integration.public_id)
    return render(request, "api/create_integration.jinja", {"form": form})


@permission_required(MANAGE_INTEGRATIONS)
@read_only
def show_integration(request, integration_id):
    integration = _integration(request, integration_id)
    return render(
        request,
        "api/show_integration.jinja",
        {"integration": integration, "keys": queries.keys_of(integration)},
    )


@permission_required(MANAGE_INTEGRATIONS)
@never_cache
@require_http_methods(["GET", "POST"])
def issue_key(request, integration_id):
    integration = _integration(request, integration_id)
    form = IssueKeyForm(request.POST or None, units=queries.units_for_keys(integration))
    issued = submit(
        request,
        form,
        lambda: services.issue_key(
            by=request.user,
            integration=integration,
            scopes=form.cleaned_data["scopes"],
            units=form.cleaned_data["units"],
            expires_on=form.cleaned_data["expires_on"],
        ),
    )
    if issued:
        return _show_once(request, issued)
    return render(request, "api/issue_key.jinja", {"form": form, "integration": integration})


@permission_required(MANAGE_INTEGRATIONS)
@never_cache
@require_POST
def rotate_key(request, integration_id, key_id):
    key = _key(request, integration_id, key_id)
    try:
        issued = services.rotate_key(by=request.user, key=key)
    except Refused as refusal:
        messages.info(request, refusal.message)
        return redirect("api:show_integration", integration_id=integration_id)
    key.refresh_from_db()
    return _show_once(request, issued, replaced=key)


@permission_required(MANAGE_INTEGRATIONS)
@require_POST
def revoke_key(request, integration_id, key_id):
    key = _key(request, integration_id, key_id)
    try:
        services.revoke_key(by=request.user, key=key)
    except Refused as refusal:
        messages.info(request, refusal.message)
    else:
        messages.success(request, f"Key {key.prefix} is revoked: calls with it are refused from now on")
    return redirect("api:show_integration", integration_id=integration_id)


def _show_once(request, issued, replaced=None):
    """The key's text is in this one answer only (its view is never_cache, so no-store): kept nowhere."""
    return render(
        request,
        "api/show_issued_key.jinja",
        {"issued": issued, "integration": issued.key.integration, "replaced": replaced},
    )
