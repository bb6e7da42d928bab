"""Raising a concern, and following it up: with the receipt code (anonymous, maybe not signed in) or from
"My concerns" (named).

An anonymous reporter's code lives only in their hands and in the page in front of them: it is never put
in the session, a cookie, a URL, a redirect or a log. Pages that show it or what it opens are never cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from candour.core.client_address import client_address
from candour.core.decorators import read_only
from candour.core.refusals import Refused, show_refusal
from candour.people.decorators import permission_required
from candour.people.models import OrgUnit, Person
from candour.speakup import services
from candour.speakup.access import RAISE
from candour.speakup.forms.reporting import (
    IDENTITY_HINTS,
    KIND_HINTS,
    RaiseConcernForm,
    ReceiptCodeForm,
    ReplyForm,
    SpeakUpAgainForm,
    StartConcernForm,
)
from candour.speakup.models import Concern, Entry, Kind, Status

# One answer for every failure: a wrong, malformed or used-up code, and throttling, all read the same.
CODE_NOT_FOUND = (
    "We could not find a concern with that code. Check it and try again. "
    "If you have lost your code, raise a new concern."
)


def _private(view):
    """Nothing kept in any cache, and no address passed on to another site.

    Not `no-referrer`: under it browsers send `Origin: null` with the page's own forms, which the CSRF
    check refuses. `same-origin` still sends nothing beyond this site, and these URLs carry no secret.
    Set here as well as site-wide so that loosening the site's policy never loosens these pages.
    """

    @never_cache
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


@permission_required(RAISE)
@read_only
def start_concern(request):
    form = StartConcernForm(request.GET or None)
    if form.is_valid():
        return redirect("speakup:raise_concern", kind=form.cleaned_data["kind"])
    return render(request, "speakup/start_concern.jinja", {"form": form, "kind_hints": KIND_HINTS})


def _trust_of(user) -> OrgUnit | None:
    unit = user.person.station if user.person_id else None
    while unit is not None and unit.kind != OrgUnit.Kind.TRUST:
        unit = unit.parent
    return unit or OrgUnit.objects.trust()


def _in_trust(trust: OrgUnit | None, path: str = "") -> Q:
    """Stations (or, with a path, whatever hangs from them) under the trust, an area between or not."""
    return Q(**{f"{path}parent": trust}) | Q(**{f"{path}parent__parent": trust})


@permission_required(RAISE)
@sensitive_post_parameters()
@_private
@require_http_methods(["GET", "POST"])
def raise_concern(request, kind):
    trust = _trust_of(request.user)
    form = RaiseConcernForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        stations=OrgUnit.objects.filter(_in_trust(trust), kind=OrgUnit.Kind.STATION).order_by("name"),
        colleagues=Person.objects.current().filter(_in_trust(trust, "station__")),
    )
    if request.method == "POST" and form.is_valid():
        raised = services.raise_concern(by=request.user, kind=kind, **_concern_arguments(form))
        # Shown in this response only: the code is never stored, so it cannot be shown again.
        return render(
            request,
            "speakup/show_receipt.jinja",
            {"concern": raised.concern, "receipt_code": raised.receipt_code},
        )
    return render(
        request,
        "speakup/raise_concern.jinja",
        {"form": form, "kind": Kind(kind), "identity_hints": IDENTITY_HINTS},
    )


def _concern_arguments(form: RaiseConcernForm) -> dict:
    data = form.cleaned_data
    arguments = {
        "identity": data["identity"],
        "narrative": data["narrative"],
        "subject_type": data["subject_type"],
        "behaviour": data.get("behaviour", ""),
        "subject_person": data["subject_person"],
        "subject_description": data.get("colleague_description", ""),
        "station": data["station"],
        "occurred_on": data["occurred_on"],
        "occurred_on_is_approximate": data["occurred_on_is_approximate"],
        "reporter_is_apprentice": data["reporter_is_apprentice"],
    }
    if form.is_patient_referral:
        birth = data["patient_date_of_birth"]
        arguments["patient"] = services.PatientInput(
            is_child=data["patient_is_child"] == "child",
            name=data["patient_name"],
            nhs_number=data["nhs_number"],
            date_of_birth=birth.isoformat() if birth else "",
            address=data["patient_address"],
            nature_of_risk=data["nature_of_risk"],
            consent=data["consent"],
            local_authority_called=data["local_authority_called"] == "yes",
            local_authority_reference=data["local_authority_reference"],
        )
    return arguments


@dataclass(frozen=True)
class Conversation:
    """What the reporter may see of their concern: the messages exchanged, never the case notes."""

    concern: Concern
    messages: list[Entry]
    outcome: Entry | None

    @classmethod
    def of(cls, concern: Concern) -> Conversation:
        exchanged = list(
            concern.entries.filter(
                type__in=[Entry.Type.MESSAGE_TO_REPORTER, Entry.Type.MESSAGE_FROM_REPORTER]
            ).order_by("sequence")
        )
        outcome = None
        # Closing a case writes what the reporter is told as its last message to them.
        if concern.status == Status.CLOSED:
            to_reporter = [entry for entry in exchanged if entry.type == Entry.Type.MESSAGE_TO_REPORTER]
            outcome = to_reporter[-1] if to_reporter else None
        return cls(concern, [entry for entry in exchanged if entry is not outcome], outcome)


ConversationForms = tuple[ReplyForm, SpeakUpAgainForm]


def _act(request, concern: Concern) -> tuple[Concern, ConversationForms, str]:
    """Do what the reporter asked (reply, or answer the speak-up-again question). Gives the concern as it
    is now, the forms to show next, and what to tell the reporter when it worked."""
    action = request.POST.get("action")
    reply_form = ReplyForm(request.POST if action == "reply" else None)
    answer_form = SpeakUpAgainForm(request.POST if action == "answer" else None)
    by = None if concern.is_anonymous else request.user
    done = ""
    try:
        if action == "reply" and reply_form.is_valid():
            services.reporter_replies(concern=concern, body=reply_form.cleaned_data["body"], by=by)
            reply_form, done = ReplyForm(), "Your message has been sent"
        elif action == "answer" and answer_form.is_valid():
            concern = services.answer_speak_up_again(
                concern=concern, answer=answer_form.cleaned_data["answer"], by=by
            )
            done = "Thank you for your answer"
    except Refused as refusal:
        show_refusal(reply_form if action == "reply" else answer_form, refusal)
    return concern, (reply_form, answer_form), done


def _show_conversation(request, concern: Concern, forms: ConversationForms, **context):
    reply_form, answer_form = forms
    return render(
        request,
        "speakup/show_conversation.jinja",
        {
            "conversation": Conversation.of(concern),
            "reply_form": reply_form,
            "answer_form": answer_form,
            **context,
        },
    )


@sensitive_post_parameters()
@_private
@require_http_methods(["GET", "POST"])
def follow_up(request):
    code_form = ReceiptCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" or not code_form.is_valid():
        return render(request, "speakup/follow_up.jinja", {"form": code_form})
    code = code_form.cleaned_data["code"]
    # Every action re-checks the code, which travels only in the form the reporter posts.
    concern = services.find_by_receipt(code, client_address=client_address(request))
    if concern is None:
        code_form.add_error("code", CODE_NOT_FOUND)
        return render(request, "speakup/follow_up.jinja", {"form": code_form})
    concern, forms, done = _act(request, concern)
    return _show_conversation(request, concern, forms, receipt_code=code, done=done, action_url=request.path)


@permission_required(RAISE)
@read_only
def list_my_concerns(request):
    concerns = Concern.objects.filter(raised_by=request.user).order_by("-received_on", "reference")
    return render(request, "speakup/list_my_concerns.jinja", {"concerns": concerns})


@permission_required(RAISE)
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def show_my_concern(request, concern_id):
    concern = get_object_or_404(Concern, pk=concern_id, raised_by=request.user)
    if request.method == "POST":
        concern, forms, done = _act(request, concern)
        if done:
            messages.success(request, done)
            return redirect("speakup:show_my_concern", concern_id=concern.pk)
    else:
        forms = (ReplyForm(), SpeakUpAgainForm())
    return _show_conversation(request, concern, forms, action_url=request.path)
