"""Case work pages: the inbox, the team's day, tasks, the case, every action on a case, and patterns.

A case outside the user's reach is a 404, whether it belongs to the other team or is about the user or
someone they manage: its existence is never revealed. Each action asks a service; a refusal by the case's
rules is shown in the form's error summary, and nothing is saved. Every page that shows something of a
case records that it was seen, form pages included (they show the case's reference and what is corrected).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from candour.core.decorators import read_only
from candour.core.refusals import Refused, submit
from candour.people.access import can
from candour.people.decorators import permission_required
from candour.speakup import access, services
from candour.speakup.forms import casework as forms
from candour.speakup.models import Concern, Referral, Status
from candour.speakup.queries import cases, day, inbox, patterns


def _case_or_404(user, concern_id) -> Concern:
    concern = cases.case_in_scope(user, concern_id)
    if concern is None:
        raise Http404
    return concern


def case_action(action: str, methods: tuple[str, ...] = ("GET", "POST")):
    """Signed in, the case within reach (else 404), and a status that allows the action (else back to the
    case, saying so). The view receives the Concern instead of its id."""

    def decorate(view):
        @login_required
        @never_cache
        @require_http_methods(list(methods))
        @wraps(view)
        def guarded(request, concern_id, **kwargs):
            concern = _case_or_404(request.user, concern_id)
            if action not in cases.actions_for(concern):
                messages.info(
                    request, f"That cannot be done while the case is {concern.get_status_display().lower()}."
                )
                return _to_case(concern)
            return view(request, concern, **kwargs)

        return guarded

    return decorate


def _to_case(concern: Concern):
    return redirect("speakup:show_case", concern_id=concern.pk)


def _done(request, concern: Concern, message: str):
    messages.success(request, message)
    return _to_case(concern)


def _form_page(request, template: str, concern: Concern, form, **context):
    services.viewed(by=request.user, concern=concern, page=template)
    return render(request, f"speakup/{template}.jinja", {"concern": concern, "form": form, **context})


def _submit(request, concern: Concern, template: str, form, *, write, success, **context):
    """The shape of every case action: on a valid POST ask the service, then back to the case saying what
    happened (`success` is the words, or makes them from the cleaned data); otherwise show the form."""
    if submit(request, form, lambda: write(form.cleaned_data)):
        return _done(request, concern, success(form.cleaned_data) if callable(success) else success)
    return _form_page(request, template, concern, form, **context)


def _list_page(request, template: str, **context):
    """A page of the case team's lists, which link to one another (patterns for the safeguarding lead)."""
    can_review = can(request.user, access.WORK_SAFEGUARDING)
    return render(request, f"speakup/{template}.jinja", {"can_review_patterns": can_review, **context})


def _filters(form) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if value} if form.is_valid() else {}


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@read_only
def list_inbox(request):
    if not access.works_cases(request.user):
        raise PermissionDenied
    form = forms.InboxFilterForm(request.GET or None)
    listed = inbox.list_for(request.user, page_number=request.GET.get("page"), **_filters(form))
    services.viewed_together(by=request.user, concern_ids=listed.concern_ids, page="list_inbox")
    return _list_page(request, "list_inbox", form=form, inbox=listed, query=_query_without_page(request))


@login_required
@never_cache
@read_only
def show_today(request):
    if not access.works_cases(request.user):
        raise PermissionDenied
    today = day.team_day(request.user)
    services.viewed_together(by=request.user, concern_ids=today.concern_ids, page="show_today")
    return _list_page(request, "show_today", day=today)


@login_required
@never_cache
@read_only
def list_tasks(request):
    if not access.works_cases(request.user):
        raise PermissionDenied
    form = forms.TaskFilterForm(request.GET or None)
    rows = day.task_rows(day.open_tasks(request.user, **_filters(form)))
    services.viewed_together(by=request.user, concern_ids={row.concern_id for row in rows}, page="list_tasks")
    return _list_page(request, "list_tasks", form=form, tasks=rows, query=_query_without_page(request))


@login_required
@never_cache
@read_only
def show_case(request, concern_id):
    concern = _case_or_404(request.user, concern_id)
    services.viewed(by=request.user, concern=concern, page="show_case")
    return render(
        request,
        "speakup/show_case.jinja",
        {"case": cases.case_file(concern), "linked": cases.linked_concerns(request.user, concern)},
    )


@case_action("triage")
def triage_case(request, concern):
    form = forms.TriageForm(
        request.POST or None,
        workers=cases.case_workers(concern),
        initial={"primary_category": services.suggested_category(concern)},
    )
    return _submit(
        request,
        concern,
        "triage_case",
        form,
        write=lambda data: services.triage(by=request.user, concern=concern, **data),
        success=lambda data: f"Triaged. {data['owner'].display_name} owns the case.",
        case=cases.case_file(concern),
    )


@case_action("add_entry")
def add_entry(request, concern):
    form = forms.AddEntryForm(request.POST or None)
    return _submit(
        request,
        concern,
        "add_entry",
        form,
        write=lambda data: services.add_entry(by=request.user, concern=concern, **data),
        success="Added to the chronology",
    )


@case_action("correct_entry")
def correct_entry(request, concern, sequence):
    entry = cases.entry_in(concern, sequence)
    if entry is None or entry.type not in cases.CORRECTABLE_ENTRY_TYPES:
        raise Http404
    form = forms.CorrectEntryForm(request.POST or None, initial={"body": entry.body})
    return _submit(
        request,
        concern,
        "correct_entry",
        form,
        write=lambda data: services.correct_entry(by=request.user, entry=entry, **data),
        success="Correction added. The original entry stays on the record.",
        entry=entry,
    )


@case_action("message_reporter")
def message_reporter(request, concern):
    form = forms.MessageReporterForm(request.POST or None)
    when = "next time they come back with their receipt code" if concern.is_anonymous else "when they sign in"
    return _submit(
        request,
        concern,
        "message_reporter",
        form,
        write=lambda data: services.message_reporter(by=request.user, concern=concern, **data),
        success=f"Message sent. The person who raised it will see it {when}.",
    )


@case_action("add_task")
def add_task(request, concern):
    form = forms.AddTaskForm(request.POST or None, team=cases.case_team(concern))
    return _submit(
        request,
        concern,
        "add_task",
        form,
        write=lambda data: services.add_task(by=request.user, concern=concern, **data),
        success="Task added",
    )


@case_action("complete_task", methods=("POST",))
def complete_task(request, concern, task_id):
    task = cases.task_in(concern, task_id)
    if task is None:
        raise Http404
    try:
        services.complete_task(by=request.user, task=task)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return _to_case(concern)
    # Flash messages travel in a cookie: they never carry what the case says.
    return _done(request, concern, "Task marked done")


@case_action("add_team_member")
def add_team_member(request, concern):
    on_team = set(cases.case_team(concern))
    candidates = [user for user in cases.case_workers(concern) if user not in on_team]
    form = forms.AddTeamMemberForm(request.POST or None, candidates=candidates)
    return _submit(
        request,
        concern,
        "add_team_member",
        form,
        write=lambda data: services.add_team_member(by=request.user, concern=concern, **data),
        success=lambda data: f"{data['user'].display_name} is on the case team",
    )


def _referral_recorded(data) -> str:
    return f"Referral to {Referral.Agency(data['agency']).label} recorded. The case is awaiting its outcome."


@case_action("add_referral")
def add_referral(request, concern):
    form = forms.AddReferralForm(request.POST or None)
    return _submit(
        request,
        concern,
        "add_referral",
        form,
        write=lambda data: services.refer(by=request.user, concern=concern, **data),
        success=_referral_recorded,
    )


@case_action("record_referral_outcome")
def record_referral_outcome(request, concern, referral_id):
    referral = cases.referral_in(concern, referral_id)
    if referral is None:
        raise Http404
    form = forms.ReferralOutcomeForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: services.record_referral_outcome(by=request.user, referral=referral, **form.cleaned_data),
    ):
        return _done(request, concern, f"Outcome recorded: {referral}")
    return _form_page(request, "record_referral_outcome", concern, form, referral=referral)


@case_action("change_status")
def change_status(request, concern):
    form = forms.ChangeStatusForm(request.POST or None, moves=cases.status_moves(concern))
    return _submit(
        request,
        concern,
        "change_status",
        form,
        write=lambda data: services.change_status(by=request.user, concern=concern, **data),
        success=lambda data: f"The case is now {Status(data['to']).label.lower()}",
    )


@case_action("close_case")
def close_case(request, concern):
    form = forms.CloseCaseForm(request.POST or None)
    return _submit(
        request,
        concern,
        "close_case",
        form,
        write=lambda data: services.close(by=request.user, concern=concern, **data),
        success="Case closed. The person who raised it will see what you told them.",
    )


@permission_required(access.WORK_SAFEGUARDING)
@never_cache
@read_only
def list_patterns(request):
    reviewed = request.GET.get("reviewed") == "yes"
    rows = patterns.pattern_rows(request.user, reviewed=reviewed)
    shown = {link.concern_id for row in rows for link in row.concerns}
    services.viewed_together(by=request.user, concern_ids=shown, page="list_patterns")
    return _list_page(request, "list_patterns", patterns=rows, reviewed=reviewed)


@permission_required(access.WORK_SAFEGUARDING)
@require_POST
def review_pattern(request, person_id):
    flag = patterns.to_review(request.user, person_id)
    if flag is None:
        raise Http404
    services.review_pattern(by=request.user, flag=flag)
    messages.success(request, "Pattern marked as reviewed")
    return redirect("speakup:list_patterns")
