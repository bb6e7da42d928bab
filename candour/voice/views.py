"""Staff voice pages: answering pulses (everyone in an audience), running them and reading their results
(leads), and "you said, we did" (everyone reads, leads publish).

A pulse the user is neither asked nor may follow as a lead is a 404: its existence is never revealed.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from candour.core.decorators import read_only
from candour.core.refusals import show_refusal, submit
from candour.people.access import can
from candour.people.decorators import permission_required
from candour.voice import queries, services
from candour.voice.access import RUN_PULSES, VIEW_RESULTS
from candour.voice.forms import AnswerForm, AreaForm, ChangeForm, CloseDateForm, PulseForm, StartPulseForm
from candour.voice.pulse_templates import TEMPLATES


def is_lead(user) -> bool:
    return can(user, RUN_PULSES) or can(user, VIEW_RESULTS)


def lead_required(view):
    """Signed in, and running pulses or reading their results somewhere."""

    @login_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not is_lead(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


# Answering


@login_required
@read_only
def list_my_pulses(request):
    to_answer_only = request.GET.get("show") == queries.TO_ANSWER
    return render(
        request,
        "voice/list_my_pulses.jinja",
        {
            "to_answer_only": to_answer_only,
            "pulses": queries.pulses_for(request.user, to_answer_only=to_answer_only),
            "changes": list(queries.recent_changes_for(request.user)[:3]),
            "is_lead": is_lead(request.user),
        },
    )


def _respondent_pulse(request, pulse_id):
    pulse = queries.pulse_for_respondent(request.user, pulse_id)
    if pulse is None:
        raise Http404
    return pulse


@login_required
def answer_pulse(request, pulse_id):
    pulse = _respondent_pulse(request, pulse_id)
    if not services.is_open(pulse):
        return render(request, "voice/pulse_closed.jinja", {"pulse": pulse})
    if services.has_answered(pulse, request.user):
        return render(request, "voice/already_answered.jinja", {"pulse": pulse})
    form = AnswerForm(request.POST or None, questions=queries.questions_of(pulse))
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_pulse(by=request.user, pulse=pulse, choices=form.choices(), text=form.text())
        except services.AlreadyAnswered:
            return render(request, "voice/already_answered.jinja", {"pulse": pulse}, status=409)
        except services.PulseClosed:
            return render(request, "voice/pulse_closed.jinja", {"pulse": pulse}, status=409)
        except services.AnswerRefused as refusal:
            show_refusal(form, refusal)
        else:
            return redirect("voice:show_thanks", pulse_id=pulse.public_id)
    return render(request, "voice/answer_pulse.jinja", {"pulse": pulse, "form": form})


@login_required
@read_only
def show_thanks(request, pulse_id):
    pulse = _respondent_pulse(request, pulse_id)
    if not services.has_answered(pulse, request.user):
        return redirect("voice:answer_pulse", pulse_id=pulse.public_id)
    return render(request, "voice/show_thanks.jinja", {"pulse": pulse})


# Running pulses


@lead_required
@read_only
def list_pulses(request):
    return render(
        request,
        "voice/list_pulses.jinja",
        {"rows": queries.pulse_rows(request.user), "may_run": can(request.user, RUN_PULSES)},
    )


@permission_required(RUN_PULSES)
@read_only
def start_pulse(request):
    return render(request, "voice/start_pulse.jinja", {"form": StartPulseForm(), "templates": TEMPLATES})


@permission_required(RUN_PULSES)
def create_pulse(request):
    template = TEMPLATES.get(request.GET.get("template", ""))
    form = PulseForm(
        request.POST or None,
        initial=PulseForm.initial_from_template(template),
        areas=queries.lead_areas(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            pulse = services.create_pulse(by=request.user, draft=form.draft())
        except services.PulseRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"{pulse.title} is set up")
            return redirect("voice:show_pulse", pulse_id=pulse.public_id)
    return render(request, "voice/create_pulse.jinja", {"form": form, "template": template})


def _lead_pulse(request, pulse_id):
    pulse = queries.pulse_for_lead(request.user, pulse_id)
    if pulse is None:
        raise Http404
    return pulse


def _changeable_pulse(request, pulse_id):
    pulse = _lead_pulse(request, pulse_id)
    if not queries.may_change(request.user, pulse):
        raise Http404
    return pulse


@lead_required
@read_only
def show_pulse(request, pulse_id):
    pulse = _lead_pulse(request, pulse_id)
    return render(
        request,
        "voice/show_pulse.jinja",
        {"page": queries.pulse_page(request.user, pulse), "may_read": can(request.user, VIEW_RESULTS)},
    )


@permission_required(RUN_PULSES)
def edit_pulse(request, pulse_id):
    pulse = _changeable_pulse(request, pulse_id)
    if pulse.responses.exists():
        messages.info(request, "People have answered this pulse, so only its closing date can change.")
        return redirect("voice:change_close_date", pulse_id=pulse.public_id)
    form = PulseForm(
        request.POST or None,
        initial=PulseForm.initial_from_pulse(pulse),
        areas=queries.lead_areas(request.user),
        opens_on_was=pulse.opens_on,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pulse(by=request.user, pulse=pulse, draft=form.draft())
        except services.PulseRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "Your changes are saved")
            return redirect("voice:show_pulse", pulse_id=pulse.public_id)
    return render(request, "voice/edit_pulse.jinja", {"form": form, "pulse": pulse})


@permission_required(RUN_PULSES)
def change_close_date(request, pulse_id):
    pulse = _changeable_pulse(request, pulse_id)
    if queries.status_of(pulse) == "Closed":
        messages.info(request, "This pulse has closed and cannot be reopened. Start a new pulse instead.")
        return redirect("voice:show_pulse", pulse_id=pulse.public_id)
    form = CloseDateForm(request.POST or None, initial={"closes_on": pulse.closes_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_close_date(by=request.user, pulse=pulse, closes_on=form.cleaned_data["closes_on"])
        except services.PulseRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "The closing date is changed")
            return redirect("voice:show_pulse", pulse_id=pulse.public_id)
    return render(request, "voice/change_close_date.jinja", {"form": form, "pulse": pulse})


@permission_required(RUN_PULSES)
@require_POST
def close_pulse(request, pulse_id):
    pulse = _changeable_pulse(request, pulse_id)
    try:
        services.close_pulse(by=request.user, pulse=pulse)
    except services.PulseRefused as refusal:
        messages.info(request, " ".join(refusal.messages))
    else:
        messages.success(request, "The pulse closes at the end of today: no answers are taken after that")
    return redirect("voice:show_pulse", pulse_id=pulse.public_id)


@permission_required(VIEW_RESULTS)
@read_only
def show_results(request, pulse_id):
    pulse = _lead_pulse(request, pulse_id)
    allowed = queries.result_areas(request.user, pulse)
    if allowed == []:
        raise Http404
    choices = allowed if allowed is not None else queries.areas_of(pulse)
    form = AreaForm(request.GET or None, areas=choices, everyone=allowed is None)
    results = queries.results(pulse, area=form.area(), allowed_areas=allowed)
    return render(request, "voice/show_results.jinja", {"results": results, "form": form})


# You said, we did


@login_required
@read_only
def list_changes(request):
    recent_only = request.GET.get("show") == queries.RECENT
    changes = queries.recent_changes_for(request.user) if recent_only else queries.changes_for(request.user)
    return render(
        request,
        "voice/list_changes.jinja",
        {
            "changes": Paginator(changes, 20).get_page(request.GET.get("page")),
            "recent_only": recent_only,
            "recent_days": settings.CANDOUR_VOICE_CHANGES_RECENT_DAYS,
            "query": f"show={queries.RECENT}" if recent_only else "",
            "may_publish": can(request.user, RUN_PULSES),
        },
    )


@permission_required(RUN_PULSES)
def publish_change(request):
    form = ChangeForm(
        request.POST or None,
        units=queries.publishable_units(request.user),
        pulses=queries.linkable_pulses(request.user),
    )
    if submit(request, form, lambda: services.publish_change(by=request.user, **form.publication())):
        messages.success(request, "Published. Staff it is for see it on their home page.")
        return redirect("voice:list_changes")
    return render(request, "voice/publish_change.jinja", {"form": form})
