"""Pages every user shares: home, health, statements, and the error pages."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from candour.core.attention import items_for
from candour.core.decorators import read_only


@login_required
@read_only
def home(request):
    return render(request, "core/home.jinja", {"items": items_for(request.user)})


@never_cache
@read_only
def health(request):
    """For load balancers: the process answers and the database connection works."""
    connection.ensure_connection()
    return HttpResponse("ok", content_type="text/plain")


@read_only
def accessibility(request):
    return render(request, "core/accessibility.jinja")


@read_only
def privacy(request):
    return render(request, "core/privacy.jinja")


def _error(request, status: int, title: str, message: str):
    # The layout reads nothing from the database for an error page (no session, user, navigation or
    # messages): the error may be that the database has gone, and then this page must still be shown.
    context = {"title": title, "message": message, "error_page": True}
    return render(request, "core/error.jinja", context, status=status)


def bad_request(request, exception=None):
    return _error(
        request, 400, "Sorry, there is a problem with the request", "Check what you entered and try again."
    )


def forbidden(request, exception=None):
    return _error(
        request,
        403,
        "You do not have access to this page",
        "Your role does not include this page. If you think it should, contact your system administrator.",
    )


def not_found(request, exception=None):
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied all of it.",
    )


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check: most often one left open so long that its session ended."""
    return _error(
        request,
        403,
        "Sorry, that form could not be sent",
        "The page had been open too long, or your browser did not send its cookie. Nothing you entered has "
        "been saved. Go back, reload the page and try again.",
    )


def server_error(request):
    return _error(
        request,
        500,
        "Sorry, there is a problem with the service",
        "Nothing you entered has been saved. Try again later. "
        "If it keeps happening, contact your system administrator.",
    )
