"""Raising a concern, and following it up: with the receipt code (anonymous, maybe not signed in) or from
"My concerns" (named). Anyone may raise an anonymous concern without signing in, from a link the trust
publishes (`/speak-up/anonymous/`).

What an anonymous reporter sends touches nothing of theirs: not their session (the idle timer is left
alone), not the shared one-time form table (these views are `once` exempt; the service makes a second
sending harmless itself), and no log (settings.LOGGING). The receipt code lives only in the reporter's hands
and the page in front of them: after sending, the browser is redirected to the receipt with a short-lived
signed cookie holding the form's token, from which the receipt page works the code out, and which it
deletes. The code itself is never in a cookie, the session, a URL, a redirect or a log, and is never stored.
Pages that show it or what it opens are never cached.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from candour.core import once
from candour.core.client_address import client_address
from candour.core.decorators import read_only
from candour.core.middleware import leave_session_alone
from candour.core.refusals import submit
from candour.people.decorators import permission_required
from candour.people.models import OrgUnit, Person
from candour.speakup import receipts, services
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
from candour.speakup.models import Concern, Entry, Identity, Kind, Route, Status
from candour.speakup.queries import mine
from candour.speakup.services import held

# One answer for every failure: a wrong or malformed code, and throttling, all read the same.
CODE_NOT_FOUND = (
    "We could not find a concern with that code. Check it and try again. "
    "If you have lost your code, raise a new concern."
)
RECEIPT_COOKIE = "candour_receipt"
RECEIPT_SALT = "candour.speakup.receipt"
# Long enough to follow one redirect on a slow phone; the receipt page deletes it as soon as it is read.
RECEIPT_COOKIE_SECONDS = 5 * 60


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


def _leaves_no_trace(view):
    """For pages an anonymous reporter uses: whoever is signed in, their session is not written."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        leave_session_alone(request)
        return view(request, *args, **kwargs)

    return wrapped


def _sent_anonymously(request) -> bool:
    return request.method == "POST" and request.POST.get("identity") == Identity.ANONYMOUS


def _submission(request) -> str:
    """The form's one-time token: sent again, the same form is held once and gets the same receipt. A form
    posted without one (not from our page) is simply not recognised when sent again."""
    return request.POST.get(once.FIELD, "")[:64] or secrets.token_hex(16)


@permission_required(RAISE)
@read_only
def start_concern(request):
    form = StartConcernForm(request.GET or None)
    if form.is_valid():
        return redirect("speakup:raise_concern", kind=form.cleaned_data["kind"])
    return render(request, "speakup/start_concern.jinja", {"form": form, "kind_hints": KIND_HINTS})


@_private
@_leaves_no_trace
@read_only
def start_anonymous_concern(request):
    """The trust's published link: anyone, signed in or not, raises a concern without their name."""
    form = StartConcernForm(request.GET or None, anonymous_only=True)
    if form.is_valid():
        return redirect("speakup:raise_anonymous_concern", kind=form.cleaned_data["kind"])
    return render(
        request,
        "speakup/start_concern.jinja",
        {"form": form, "kind_hints": KIND_HINTS, "anonymous_only": True},
    )


def _concern_form(request, kind: str, *, anonymous_only: bool = False) -> RaiseConcernForm:
    person = request.user.person if request.user.is_authenticated and request.user.person_id else None
    trust = person.station.trust if person else OrgUnit.objects.trust()
    stations = OrgUnit.objects.stations_under(trust).order_by("name") if trust else OrgUnit.objects.none()
    return RaiseConcernForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        stations=stations,
        colleagues=Person.objects.current().filter(station__in=stations),
        anonymous_only=anonymous_only,
    )


def _hold(request, kind: str, form: RaiseConcernForm, submission: str) -> services.HeldConcern:
    return services.raise_anonymous_concern(
        submission=submission,
        client_address=client_address(request),
        kind=kind,
        **_concern_arguments(form),
    )


def _to_receipt(concern: services.HeldConcern, submission: str):
    """Redirect to the receipt, carrying what it needs in a signed cookie that only that page is sent."""
    response = redirect("speakup:show_receipt")
    carried = {"lookup": concern.receipt.lookup, "token": submission, "route": concern.route}
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        json.dumps(carried),
        salt=RECEIPT_SALT,
        max_age=RECEIPT_COOKIE_SECONDS,
        path=reverse("speakup:show_receipt"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


def _form_page(request, form: RaiseConcernForm, kind: str, *, anonymous_only: bool = False):
    return render(
        request,
        "speakup/raise_concern.jinja",
        {
            "form": form,
            "kind": Kind(kind),
            "identity_hints": IDENTITY_HINTS,
            "anonymous_only": anonymous_only,
        },
    )


@once.exempt_when(_sent_anonymously)
@permission_required(RAISE)
@sensitive_post_parameters()
@_private
@require_http_methods(["GET", "POST"])
def raise_concern(request, kind):
    form = _concern_form(request, kind)
    if _sent_anonymously(request):
        leave_session_alone(request)
        submission = _submission(request)
        concern = submit(request, form, lambda: _hold(request, kind, form, submission))
        if concern:
            return _to_receipt(concern, submission)
    else:
        raised = submit(
            request,
            form,
            lambda: services.raise_concern(by=request.user, kind=kind, **_named_arguments(form)),
        )
        if raised:
            return redirect("speakup:show_sent_concern", concern_id=raised.concern.pk)
    return _form_page(request, form, kind)


@once.exempt
@sensitive_post_parameters()
@_private
@_leaves_no_trace
@require_http_methods(["GET", "POST"])
def raise_anonymous_concern(request, kind):
    if kind == Kind.PATIENT_SAFEGUARDING:
        raise Http404("A patient referral cannot be anonymous.")
    form = _concern_form(request, kind, anonymous_only=True)
    submission = _submission(request) if request.method == "POST" else ""
    concern = submit(request, form, lambda: _hold(request, kind, form, submission))
    if concern:
        return _to_receipt(concern, submission)
    return _form_page(request, form, kind, anonymous_only=True)


@dataclass(frozen=True)
class Receipt:
    code: str
    team: str


def _carried_receipt(request) -> Receipt | None:
    try:
        carried = json.loads(
            request.get_signed_cookie(RECEIPT_COOKIE, salt=RECEIPT_SALT, max_age=RECEIPT_COOKIE_SECONDS)
        )
        return Receipt(
            receipts.receipt_for(carried["lookup"], carried["token"]).code, Route(carried["route"]).label
        )
    except (KeyError, ValueError, TypeError, signing.BadSignature):
        return None


@_private
@_leaves_no_trace
@read_only
def show_receipt(request):
    """The code, shown once: the cookie that brought it is deleted as the page is sent."""
    response = render(request, "speakup/show_receipt.jinja", {"receipt": _carried_receipt(request)})
    response.delete_cookie(RECEIPT_COOKIE, path=reverse("speakup:show_receipt"), samesite="Strict")
    return response


@permission_required(RAISE)
@never_cache
@read_only
def show_sent_concern(request, concern_id):
    """What a named reporter sees once their concern is sent: its reference and what happens next."""
    concern = get_object_or_404(Concern, pk=concern_id, raised_by=request.user)
    return render(request, "speakup/show_sent_concern.jinja", {"concern": concern})


def _concern_arguments(form: RaiseConcernForm) -> dict:
    """What an anonymous concern is sent with (no patient: a referral is never anonymous)."""
    data = form.cleaned_data
    return {
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


def _named_arguments(form: RaiseConcernForm) -> dict:
    data = form.cleaned_data
    arguments = _concern_arguments(form) | {"identity": data["identity"]}
    del arguments["reporter_is_apprentice"]  # known from their own record
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
    """What the reporter may see of their concern: the messages exchanged, never the case notes; and, for
    an anonymous reporter, what they sent that is still on its way."""

    concern: Concern
    messages: list[Entry]
    outcome: Entry | None
    answer: str

    @classmethod
    def of(cls, concern: Concern) -> Conversation:
        shown = [Entry.Type.STATUS, Entry.Type.MESSAGE_TO_REPORTER, Entry.Type.MESSAGE_FROM_REPORTER]
        entries = (
            [] if concern.on_its_way else list(concern.entries.filter(type__in=shown).order_by("sequence"))
        )
        outcome = None
        if concern.status == Status.CLOSED:
            # Closing writes a status change, then what the reporter is told: that message is the outcome.
            closed = [entry.sequence for entry in entries if entry.type == Entry.Type.STATUS][-1:]
            outcome = next((e for e in entries if closed and e.sequence == closed[0] + 1), None)
        exchanged = [entry for entry in entries if entry.is_visible_to_reporter and entry is not outcome]
        if concern.is_anonymous:
            exchanged += held.held_messages(concern.pk)
        answer = concern.speak_up_again or (held.held_answer(concern.pk) if concern.is_anonymous else "")
        return cls(concern, exchanged, outcome, answer)


ConversationForms = tuple[ReplyForm, SpeakUpAgainForm]


def _reply(request, concern: Concern, body: str) -> None:
    if concern.is_anonymous:
        services.anonymous_reporter_replies(concern=concern, body=body, submission=_submission(request))
    else:
        services.reporter_replies(concern=concern, body=body, by=request.user)


def _answer(request, concern: Concern, answer: str) -> None:
    if concern.is_anonymous:
        services.answer_speak_up_again_anonymously(
            concern=concern, answer=answer, submission=_submission(request)
        )
    else:
        services.answer_speak_up_again(concern=concern, answer=answer, by=request.user)


def _act(request, concern: Concern) -> tuple[ConversationForms, str]:
    """Do what the reporter asked (send a message, or answer the speak-up-again question). Gives the forms
    to show next, and what to tell the reporter when it worked."""
    action = request.POST.get("action")
    reply_form = ReplyForm(request.POST if action == "reply" else None)
    answer_form = SpeakUpAgainForm(request.POST if action == "answer" else None)
    if action == "reply" and submit(
        request, reply_form, lambda: _reply(request, concern, reply_form.cleaned_data["body"])
    ):
        return (ReplyForm(), answer_form), "Your message has been sent"
    if action == "answer" and submit(
        request, answer_form, lambda: _answer(request, concern, answer_form.cleaned_data["answer"])
    ):
        return (reply_form, SpeakUpAgainForm()), "Thank you for your answer"
    return (reply_form, answer_form), ""


def _show_conversation(request, concern: Concern, forms: ConversationForms, **context):
    reply_form, answer_form = forms
    return render(
        request,
        "speakup/show_conversation.jinja",
        {
            "conversation": Conversation.of(concern),
            "reply_form": reply_form,
            "answer_form": answer_form,
            "batch_minutes": settings.CANDOUR_ANONYMOUS_BATCH_MINUTES,
            **context,
        },
    )


@once.exempt
@sensitive_post_parameters()
@_private
@_leaves_no_trace
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
    forms, done = _act(request, concern)
    return _show_conversation(request, concern, forms, receipt_code=code, done=done, action_url=request.path)


@permission_required(RAISE)
@read_only
def list_my_concerns(request):
    replies_only = request.GET.get("show") == mine.REPLIES
    concerns = mine.my_concerns(request.user, replies_only=replies_only)
    return render(
        request, "speakup/list_my_concerns.jinja", {"concerns": concerns, "replies_only": replies_only}
    )


@permission_required(RAISE)
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def show_my_concern(request, concern_id):
    concern = get_object_or_404(Concern, pk=concern_id, raised_by=request.user)
    if request.method == "POST":
        forms, done = _act(request, concern)
        if done:
            messages.success(request, done)
            return redirect("speakup:show_my_concern", concern_id=concern.pk)
    else:
        forms = (ReplyForm(), SpeakUpAgainForm())
    return _show_conversation(request, concern, forms, action_url=request.path)
