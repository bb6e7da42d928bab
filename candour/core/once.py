"""Every form does its work once.

Each POST form carries a one-time token beside its CSRF token (templates write `{{ csrf_input }}`, which
here writes both). The middleware claims the token in the same transaction as the view's own writes: a
second POST with that token, whether a reload, a double tap, or a race with the first, does nothing and
is sent where the first one went. A form shown again with its errors wrote nothing, so its claim is let
go. Anonymous reporting does not use this table (see `exempt`): a row here would date the report.
"""

from __future__ import annotations

import re
import secrets

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import format_html

from candour.core.models import SubmittedForm

FIELD = "submission"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
ALREADY_DONE = "That form had been sent already, so it was not sent again."


def exempt(view):
    """For a view that makes its POSTs harmless to repeat in its own way."""
    view.once_exempt = True
    return view


def exempt_when(test):
    """For a view whose POSTs are harmless to repeat in their own way when `test(request)` holds (a form
    sent anonymously, say), and claimed here otherwise."""

    def mark(view):
        view.once_exempt = test
        return view

    return mark


class FormTokens:
    """What `{{ csrf_input }}` writes in a form: the CSRF token and a new one-time submission token."""

    def __init__(self, request):
        self.request = request

    def __html__(self) -> str:
        return format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="{}" value="{}">',
            get_token(self.request),
            FIELD,
            secrets.token_hex(16),
        )

    def __str__(self) -> str:
        return self.__html__()


def context(request) -> dict:
    """Jinja2 context processor: replaces the backend's own `csrf_input`."""
    return {"csrf_input": FormTokens(request)}


class OncePerSubmissionMiddleware:
    """Runs a POST view that carries a submission token together with the token's claim, in one
    transaction (as ATOMIC_REQUESTS would have run the view alone)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        exempt = getattr(view_func, "once_exempt", False)
        if request.method != "POST" or exempt is True or (callable(exempt) and exempt(request)):
            return None
        # A view outside the request's transaction (an upload: it checks a file, then writes in brief steps
        # of its own, docs/adr/0023) cannot claim a token inside its writes; imports are idempotent anyway.
        if getattr(view_func, "csrf_exempt", False) or getattr(view_func, "_non_atomic_requests", None):
            return None
        token = request.POST.get(FIELD, "")
        if not _TOKEN.match(token):
            return None
        with transaction.atomic():
            claim, fresh = SubmittedForm.objects.get_or_create(
                token=token, defaults={"sent_on": timezone.localdate()}
            )
            if not fresh:
                return _already_done(request, claim)
            response = view_func(request, *view_args, **view_kwargs)
            if 300 <= response.status_code < 400 and response.has_header("Location"):
                claim.location = response["Location"][:2000]
                claim.save(update_fields=["location"])
            else:
                claim.delete()
            return response


def _already_done(request, claim: SubmittedForm) -> HttpResponseRedirect:
    return already_done(request, claim.location)


def already_done(request, location: str) -> HttpResponseRedirect:
    """Where a form sent again goes: where it went the first time, saying it was not sent again."""
    messages.info(request, ALREADY_DONE)
    return HttpResponseRedirect(location or request.path)


class SentBefore(Exception):
    """The form was sent before; `location` is where its first sending went."""

    def __init__(self, location: str):
        super().__init__(location)
        self.location = location


def claim(token: str, *, location: str) -> None:
    """For a view outside the request's transaction, which this middleware does not claim for (an upload keeps
    its file first, then writes in a brief transaction of its own): claim the form's token in that
    transaction, with where the view will send the person. Raises SentBefore when the form was sent before,
    so that the caller's transaction writes nothing. A form with no token is not claimed."""
    if not _TOKEN.match(token or ""):
        return
    earlier, fresh = SubmittedForm.objects.get_or_create(
        token=token, defaults={"sent_on": timezone.localdate(), "location": location[:2000]}
    )
    if not fresh:
        raise SentBefore(earlier.location)


def forget_before(day) -> int:
    """Claims older than this are no longer needed: nobody reloads a page sent days ago."""
    deleted, _ = SubmittedForm.objects.filter(sent_on__lt=day).delete()
    return deleted
