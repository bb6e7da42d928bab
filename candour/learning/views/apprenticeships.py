"""Learning views: apprenticeships. The caseload, the apprenticeship record and every change to it, and
moving a cohort to a new provider.

An apprenticeship outside the user's reach is a 404. One the user may see but not change (a line manager's
view, or an apprentice's own record) answers 403 to the pages that change it, except the two things an
apprentice does for themselves: logging their off-the-job hours and signing their part of a review.
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from candour.core import audit
from candour.core.auto_refresh import refresh_while_working, wants_refresh
from candour.core.decorators import read_only
from candour.core.refusals import Refused, submit
from candour.core.uploads import accepts_upload
from candour.learning import transfer
from candour.learning.access import MANAGE_APPRENTICES
from candour.learning.forms import apprenticeships as forms
from candour.learning.models import Apprenticeship, CohortPack
from candour.learning.queries import apprenticeships as queries
from candour.learning.services import apprenticeships as services
from candour.learning.services import cohort_packs
from candour.learning.transfer_import import import_transfer_bundle as import_bundle
from candour.people.decorators import permission_required
from candour.people.models import Person

# How often the page of a cohort's zip being made asks again.


def _reachable(user, apprenticeship_id) -> Apprenticeship:
    apprenticeship = queries.apprenticeship_for(user, apprenticeship_id)
    if apprenticeship is None:
        raise Http404
    return apprenticeship


def apprenticeship_page(*, manage: bool, own: bool = False, methods=("GET", "POST")):
    """Signed in and the apprenticeship within reach (else 404); then the right to change it (else 403):
    managing it, or, where `own` is set, being the apprentice. The view receives the Apprenticeship."""

    def decorate(view):
        @login_required
        @never_cache
        @require_http_methods(list(methods))
        @wraps(view)
        def guarded(request, apprenticeship_id, **kwargs):
            apprenticeship = _reachable(request.user, apprenticeship_id)
            allowed = queries.may_manage(request.user, apprenticeship) or (
                own and queries.is_own(request.user, apprenticeship)
            )
            if manage and not allowed:
                raise PermissionDenied
            return view(request, apprenticeship, **kwargs)

        return guarded

    return decorate


def _to_record(apprenticeship: Apprenticeship):
    return redirect("learning:show_apprenticeship", apprenticeship_id=apprenticeship.public_id)


def _form_page(request, template: str, apprenticeship: Apprenticeship | None, form, **context):
    return render(
        request, f"learning/{template}.jinja", {"apprenticeship": apprenticeship, "form": form, **context}
    )


def _managed_people(user):
    return Person.objects.filter(station_id__in=[s.pk for s in queries.managed_stations(user)])


# The caseload and the record


@login_required
@read_only
def show_caseload(request):
    if not queries.may_view_caseload(request.user):
        raise PermissionDenied
    manages = bool(queries.managed_stations(request.user))
    form = forms.CaseloadFilterForm(request.GET or None, providers=queries.providers(), shows_welfare=manages)
    filters = form.cleaned_data if form.is_valid() else {}
    provider = filters.get("provider")
    caseload = queries.caseload(
        request.user,
        show=filters.get("show", ""),
        provider_id=provider.public_id if provider else None,
        page_number=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/show_caseload.jinja",
        {
            "form": form,
            "caseload": caseload,
            "query": query.urlencode(),
            "may_manage": manages,
        },
    )


@login_required
@read_only
def list_my_apprenticeships(request):
    return render(
        request,
        "learning/list_my_apprenticeships.jinja",
        {"apprenticeships": queries.own_apprenticeships(request.user)},
    )


@login_required
@never_cache
@read_only
def show_apprenticeship(request, apprenticeship_id):
    apprenticeship = _reachable(request.user, apprenticeship_id)
    record = queries.record_for(request.user, apprenticeship)
    if not record.is_own:
        # Reviews hold welfare answers: who opened an apprentice's record is on the record.
        audit.viewed(actor=request.user, target=apprenticeship)
    return render(
        request,
        "learning/show_apprenticeship.jinja",
        {"record": record, "what_happens_next": queries.WHAT_HAPPENS_NEXT},
    )


@permission_required(MANAGE_APPRENTICES)
@never_cache
@require_http_methods(["GET", "POST"])
def start_apprenticeship(request):
    form = forms.StartApprenticeshipForm(
        request.POST or None, people=_managed_people(request.user), providers=queries.providers()
    )

    def start():
        data = form.cleaned_data
        return services.start_apprenticeship(
            by=request.user,
            person=data["staff_number"],
            standard=data["standard"],
            level=data["level"],
            start_date=data["start_date"],
            planned_end_date=data["planned_end_date"],
            provider=data["provider"],
            mentor=data["mentor"],
            contracted_hours_per_week=data["contracted_hours_per_week"],
            unique_learner_number=data["unique_learner_number"],
            date_of_birth=data["date_of_birth"],
            standard_code=data["standard_code"],
        )

    apprenticeship = submit(request, form, start)
    if apprenticeship:
        messages.success(request, "Apprenticeship recorded. Its first progress review is scheduled.")
        return _to_record(apprenticeship)
    return _form_page(request, "start_apprenticeship", None, form)


@apprenticeship_page(manage=True)
def edit_apprenticeship(request, apprenticeship):
    initial = {
        "station": str(apprenticeship.station.public_id),
        "mentor": apprenticeship.mentor.staff_number if apprenticeship.mentor else "",
        "provider": str(apprenticeship.provider.public_id),
        "planned_end_date": apprenticeship.planned_end_date,
        "contracted_hours_per_week": apprenticeship.contracted_hours_per_week,
        "unique_learner_number": apprenticeship.unique_learner_number,
        "date_of_birth": apprenticeship.birth_date,
        "standard_code": apprenticeship.standard_code,
    }
    form = forms.EditApprenticeshipForm(
        request.POST or None,
        initial=initial,
        stations=queries.managed_stations(request.user),
        people=_managed_people(request.user),
        providers=queries.providers(),
    )
    if submit(
        request,
        form,
        lambda: services.update_apprenticeship(
            by=request.user, apprenticeship=apprenticeship, **form.cleaned_data
        ),
    ):
        messages.success(request, "Apprenticeship details saved")
        return _to_record(apprenticeship)
    return _form_page(request, "edit_apprenticeship", apprenticeship, form)


@apprenticeship_page(manage=True)
def change_apprenticeship_status(request, apprenticeship):
    moves = services.status_moves(apprenticeship)
    if not moves:
        messages.info(
            request, f"An apprenticeship that is {apprenticeship.get_status_display().lower()} stays so."
        )
        return _to_record(apprenticeship)
    form = forms.ChangeStatusForm(request.POST or None, moves=moves)
    if submit(
        request,
        form,
        lambda: services.change_status(by=request.user, apprenticeship=apprenticeship, **form.cleaned_data),
    ):
        messages.success(request, f"Status changed to {apprenticeship.get_status_display().lower()}")
        return _to_record(apprenticeship)
    return _form_page(request, "change_apprenticeship_status", apprenticeship, form)


@apprenticeship_page(manage=True, own=True)
def log_off_the_job(request, apprenticeship):
    form = forms.OffTheJobForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: services.log_off_the_job(by=request.user, apprenticeship=apprenticeship, **form.cleaned_data),
    ):
        messages.success(request, f"{form.cleaned_data['hours']} hours logged")
        return _to_record(apprenticeship)
    return _form_page(request, "log_apprenticeship_off_the_job", apprenticeship, form)


@apprenticeship_page(manage=True)
def add_placement(request, apprenticeship):
    form = forms.PlacementForm(request.POST or None, stations=queries.managed_stations(request.user))
    if submit(
        request,
        form,
        lambda: services.add_placement(by=request.user, apprenticeship=apprenticeship, **form.cleaned_data),
    ):
        messages.success(request, "Placement added")
        return _to_record(apprenticeship)
    return _form_page(request, "add_apprenticeship_placement", apprenticeship, form)


# Reviews


@apprenticeship_page(manage=True)
def schedule_review(request, apprenticeship):
    form = forms.ScheduleReviewForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: services.schedule_review(by=request.user, apprenticeship=apprenticeship, **form.cleaned_data),
    ):
        messages.success(request, "Review scheduled")
        return _to_record(apprenticeship)
    return _form_page(request, "schedule_review", apprenticeship, form)


def _review_or_404(apprenticeship, review_id):
    review = queries.review_in(apprenticeship, review_id)
    if review is None:
        raise Http404
    return review


@apprenticeship_page(manage=True)
def record_review(request, apprenticeship, review_id):
    review = _review_or_404(apprenticeship, review_id)
    open_targets = list(queries.open_targets_before(review))
    initial = {name: getattr(review, name) for name in forms.RecordReviewForm.base_fields}
    for number, target in enumerate(review.targets.filter(outcome="")[: forms.TARGET_ROWS], start=1):
        initial |= {
            f"target_{number}_description": target.description,
            f"target_{number}_due_on": target.due_on,
        }
    initial |= {f"outcome_{target.public_id}": target.outcome for target in open_targets}
    form = forms.RecordReviewForm(request.POST or None, initial=initial, open_targets=open_targets)
    recorded = submit(
        request, form, lambda: services.record_review(by=request.user, review=review, **form.review())
    )
    if recorded:
        if recorded.concern_raised:
            messages.success(
                request,
                "Review recorded. A welfare answer raised a confidential concern with the safeguarding "
                f"team (reference {recorded.concern_reference}). "
                f"Tell {apprenticeship.person.given_name}: the safeguarding team will contact them "
                "confidentially, and their line manager is not told.",
            )
        else:
            messages.success(request, "Review recorded")
        return _to_record(apprenticeship)
    return _form_page(
        request,
        "record_review",
        apprenticeship,
        form,
        review=review,
        off_the_job=queries.off_the_job_for(apprenticeship, timezone.localdate()),
    )


def _signers(apprenticeship: Apprenticeship) -> list[Person]:
    """Who can sign for the employer: the mentor and the apprentice's line manager."""
    people = [apprenticeship.mentor, apprenticeship.person.line_manager]
    unique = {person.pk: person for person in people if person is not None}
    return list(unique.values())


@apprenticeship_page(manage=True, own=True)
def sign_off_review(request, apprenticeship, review_id):
    review = _review_or_404(apprenticeship, review_id)
    missing = queries.missing_answers(review)
    if queries.may_manage(request.user, apprenticeship):
        form = forms.SignOffReviewForm(
            request.POST or None,
            signers=_signers(apprenticeship),
            initial={
                "provider_name": review.provider_signed_by or request.user.display_name,
                "employer": str(apprenticeship.mentor.public_id) if apprenticeship.mentor else "",
            },
        )
        write = lambda: services.sign_off_review(by=request.user, review=review, **form.cleaned_data)  # noqa: E731
    else:
        form = forms.ApprenticeSignOffForm(request.POST or None)
        write = lambda: services.sign_off_review(  # noqa: E731
            by=request.user,
            review=review,
            parties=[services.Party.APPRENTICE],
            signed_on=timezone.localdate(),
        )
    if submit(request, form, write):
        review.refresh_from_db()
        messages.success(
            request, "Review signed off by all three" if review.is_signed_off else "Signatures saved"
        )
        return _to_record(apprenticeship)
    return _form_page(
        request,
        "sign_off_review",
        apprenticeship,
        form,
        review=review,
        missing=missing,
        apprentice_only=isinstance(form, forms.ApprenticeSignOffForm),
    )


# Moving to a new provider


@apprenticeship_page(manage=True)
def decide_safeguarding_share(request, apprenticeship):
    form = forms.ShareDecisionForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: services.decide_safeguarding_share(
            by=request.user,
            apprenticeship=apprenticeship,
            lawful_basis=form.cleaned_data["lawful_basis"],
            summary=form.cleaned_data["summary"],
        ),
    ):
        messages.success(
            request, "Decision recorded. The transfer pack now includes the safeguarding summary."
        )
        return _to_record(apprenticeship)
    return _form_page(request, "decide_transfer_safeguarding_share", apprenticeship, form)


def _zip_response(content: bytes, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@apprenticeship_page(manage=True, methods=("GET",))
def download_transfer_pack(request, apprenticeship):
    pack = transfer.build_pack(apprenticeship)
    content = transfer.pack_zip(pack)
    services.record_pack_download(
        by=request.user, apprenticeship=apprenticeship, safeguarding_included=pack.safeguarding is not None
    )
    return _zip_response(content, f"{pack.file_stem}.zip")


def _transfer_form(request, data):
    return forms.TransferForm(
        data, stations=queries.managed_stations(request.user), providers=queries.providers()
    )


@permission_required(MANAGE_APPRENTICES)
@never_cache
@require_http_methods(["GET", "POST"])
def start_transfer(request):
    """Choose who and where; then check, unticking anyone not moving; then move (or plan the move)."""
    form = _transfer_form(request, request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, "start_transfer", None, form)
    data = form.cleaned_data
    cohort = list(
        queries.transfer_cohort(
            request.user, from_provider=data["from_provider"], level=data["level"], station=data["station"]
        )
    )
    if not cohort:
        form.add_error(None, "No current apprentices match. Choose fewer filters.")
        return _form_page(request, "start_transfer", None, form)
    receiving = {
        "to": data["to_provider"],
        "new_provider_name": data["new_provider_name"],
        "new_provider_ukprn": data["new_provider_ukprn"],
    }
    if request.POST.get("confirmed") != "yes":
        if not submit(request, form, lambda: services.receiving_provider(**receiving)):
            return _form_page(request, "start_transfer", None, form)
        return _confirm_page(request, forms.ConfirmTransferForm(cohort=cohort), data)
    confirm = forms.ConfirmTransferForm(request.POST, cohort=cohort)
    moved = submit(
        request,
        confirm,
        lambda: services.transfer(
            by=request.user,
            apprenticeships=confirm.cleaned_data["apprentices"],
            on=data["transfer_on"],
            **receiving,
        ),
    )
    if not moved:
        return _confirm_page(request, confirm, data)
    provider = moved[0].transferred_to
    who = f"{len(moved)} apprentice{'' if len(moved) == 1 else 's'}"
    if data["transfer_on"] > timezone.localdate():
        messages.success(request, f"{who} will move to {provider.name} on {data['transfer_on']:%-d %B %Y}")
    else:
        messages.success(request, f"{who} transferred to {provider.name}")
    query = urlencode({"provider": provider.public_id, "on": data["transfer_on"].isoformat()})
    return redirect(f"{reverse('learning:show_transfer')}?{query}")


def _confirm_page(request, confirm, data):
    """The check before moving: the choices made so far ride along as hidden fields."""
    kept = ("csrfmiddlewaretoken", "submission", "confirmed", "apprentices")
    return render(
        request,
        "learning/confirm_transfer.jinja",
        {
            "form": confirm,
            "data": data,
            "carried": [(name, value) for name, value in request.POST.items() if name not in kept],
            "planned": data["transfer_on"] > timezone.localdate(),
        },
    )


@apprenticeship_page(manage=True, methods=("POST",))
def cancel_planned_transfer(request, apprenticeship):
    form = forms.CancelTransferForm(request.POST)
    if submit(
        request,
        form,
        lambda: services.cancel_planned_transfer(by=request.user, apprenticeship=apprenticeship),
    ):
        messages.success(request, "The planned transfer is cancelled")
    else:
        messages.error(request, " ".join(form.non_field_errors()))
    return _to_record(apprenticeship)


@permission_required(MANAGE_APPRENTICES)
@read_only
def list_transfers(request):
    return render(request, "learning/list_transfers.jinja", {"groups": queries.transfer_groups(request.user)})


def _cohort_or_404(request, data):
    try:
        provider_id = uuid.UUID(data.get("provider", ""))
        on = dt.date.fromisoformat(data.get("on", ""))
    except ValueError:
        raise Http404 from None
    cohort = list(queries.transferred_cohort(request.user, provider_id=provider_id, on=on))
    if not cohort:
        raise Http404
    return cohort, on


@permission_required(MANAGE_APPRENTICES)
@read_only
def show_transfer(request):
    cohort, on = _cohort_or_404(request, request.GET)
    provider = cohort[0].transferred_to
    return render(
        request,
        "learning/show_transfer.jinja",
        {
            "cohort": cohort,
            "provider": provider,
            "on": on,
            "planned": on > timezone.localdate(),
            "packs": queries.cohort_packs_for(request.user, provider=provider, on=on),
        },
    )


@permission_required(MANAGE_APPRENTICES)
@require_POST
def request_cohort_pack(request):
    """Queue the cohort's zip for the worker, then watch it being made."""
    cohort, on = _cohort_or_404(request, request.POST)
    provider = cohort[0].transferred_to
    try:
        pack = cohort_packs.request_cohort_pack(by=request.user, provider_id=provider.public_id, on=on)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect(
            f"{reverse('learning:show_transfer')}?{urlencode({'provider': provider.public_id, 'on': on})}"
        )
    return redirect("learning:show_cohort_pack", pack_id=pack.public_id)


def _pack_or_404(request, pack_id):
    pack = queries.cohort_pack_for(request.user, pack_id)
    if pack is None:
        raise Http404
    return pack


@permission_required(MANAGE_APPRENTICES)
@never_cache
@read_only
def show_cohort_pack(request, pack_id):
    pack = _pack_or_404(request, pack_id)
    working = pack.status in (CohortPack.Status.WAITING, CohortPack.Status.RUNNING)
    refreshing = wants_refresh(request, working)
    response = render(
        request,
        "learning/show_cohort_pack.jinja",
        {
            "pack": pack,
            "working": working,
            "refreshing": refreshing,
            "keep": dt.timedelta(days=settings.CANDOUR_COHORT_PACK_KEEP_DAYS),
        },
    )
    return refresh_while_working(response, refreshing)


@permission_required(MANAGE_APPRENTICES)
@never_cache
@read_only
def download_cohort_pack(request, pack_id):
    pack = _pack_or_404(request, pack_id)
    if pack.status != CohortPack.Status.DONE:
        raise Http404
    content = cohort_packs.read_cohort_pack(by=request.user, pack=pack)
    return _zip_response(
        content, f"transfer-cohort-{pack.provider.ukprn or 'provider'}-{pack.transferred_on}.zip"
    )


# The body's size is judged by core.uploads before anything reads it; the import runs outside the request's
# transaction so that checking the bundle holds no lock (it writes in one transaction of its own).
@permission_required(MANAGE_APPRENTICES)
@accepts_upload("CANDOUR_UPLOAD_MAX_BYTES")
@transaction.non_atomic_requests
@never_cache
@require_http_methods(["GET", "POST"])
def import_transfer_bundle(request):
    form = forms.ImportBundleForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_bundle(by=request.user, file=form.cleaned_data["bundle"])
        if result.ok:
            note = (
                " The bundle held a safeguarding summary shared by the previous trust; it was not imported. "
                "Read it in the bundle and pass it to the safeguarding team."
                if result.safeguarding_summary_came
                else ""
            )
            messages.success(request, f"Apprenticeship imported.{note}")
            return _to_record(result.apprenticeship)
    return render(request, "learning/import_transfer_bundle.jinja", {"form": form, "result": result})
