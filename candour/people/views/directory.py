"""The directory of people, a person (and their sign-in, for administrators), the organisation, the audit
log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from candour.core.decorators import read_only
from candour.core.models import AuditEvent
from candour.core.refusals import Refused, submit
from candour.people import queries, services
from candour.people.access import can, scope_of
from candour.people.decorators import permission_required
from candour.people.forms import PeopleFilterForm, ResetTwoFactorForm
from candour.people.models import OrgUnit, User
from candour.people.roles import Permission


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
