"""Administrators' pages for email that could not be sent (the outbox, docs/adr/0020)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from candour.core import outbox
from candour.core.decorators import read_only
from candour.people.decorators import permission_required
from candour.people.forms import RetryEmailForm
from candour.people.roles import Permission


@permission_required(Permission.MANAGE_EMAIL)
@read_only
def list_failed_emails(request):
    return render(request, "people/list_failed_emails.jinja", {"failed": outbox.failed_messages()})


@permission_required(Permission.MANAGE_EMAIL)
@require_POST
def retry_failed_emails(request):
    form = RetryEmailForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["message"][0])
        return redirect("people:list_failed_emails")
    count = outbox.retry_failed(by=request.user, message_id=form.cleaned_data["message"])
    if count:
        messages.success(request, f"{count} email{'s' if count != 1 else ''} will be sent again in a moment")
    else:
        messages.info(request, "Nothing was sent again: that email is no longer waiting")
    return redirect("people:list_failed_emails")
