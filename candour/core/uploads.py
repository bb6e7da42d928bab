"""A request's body is judged by what it says of itself before any of it is read.

Django reads a POST body as soon as anything asks for `request.POST` (the CSRF check does, before the view),
storing any file in it to disk: a 2 GB body sent to any form would be read and stored before a view could
refuse it. So the guard, first of the view middleware, refuses by the declared Content-Length before anything
reads the body: bodies larger than the view accepts (a view that takes a file says so with `accepts_upload`;
every other view takes a form's worth), bodies sent in chunks without a length (Django reads those as empty,
which surfaced as a CSRF failure), and bodies sent compressed (a small request could unpack to any size).

It answers with a page that says why. A browser sends the whole body before it reads any answer, and a
server that closes the connection on a body it has not read makes the browser show a broken connection
instead of the page (gunicorn does, after about 4 MB). So the refused body is read and thrown away, up to
CANDOUR_REFUSED_UPLOAD_READ_BYTES; past that the connection is closed, as it must be.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from candour.core.importing.framework import readable_size

# A multipart body carries the file and a little more: the boundaries, part headers and the form's fields.
MULTIPART_ALLOWANCE = 64 * 1024
DRAIN_CHUNK_BYTES = 256 * 1024
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def accepts_upload(limit_setting: str) -> Callable:
    """Marks a view that takes a file no larger than the named setting (read per request)."""

    def mark(view):
        view.upload_limit_setting = limit_setting
        return view

    return mark


def body_limit(view) -> int:
    """The largest body the view accepts: its file and the form around it, or a form's worth of fields."""
    setting = getattr(view, "upload_limit_setting", None)
    if setting is None:
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE + MULTIPART_ALLOWANCE
    return getattr(settings, setting) + MULTIPART_ALLOWANCE


class RequestBodyGuardMiddleware:
    """Refuses a body too large, sent without its length, or compressed, before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in BODY_METHODS:
            return None
        encoding = request.META.get("HTTP_CONTENT_ENCODING", "identity").strip().lower()
        if encoding not in {"", "identity"}:
            return _refuse(
                request,
                view_func,
                415,
                "Compressed uploads are not accepted",
                f"The upload was sent compressed ({encoding}). Send the file as it is, uncompressed.",
            )
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return _refuse(
                request,
                view_func,
                411,
                "The upload did not say how large it is",
                "It was sent in pieces without its size, which Candour cannot accept. Upload the file from a "
                "web browser, or send it with a Content-Length header.",
            )
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = -1
        if declared < 0:
            return _refuse(
                request,
                view_func,
                400,
                "The upload is not readable",
                "It gave its size as something other than a number.",
            )
        limit = body_limit(view_func)
        if declared > limit:
            return _refuse(
                request,
                view_func,
                413,
                "The file is too large",
                f"Files up to {readable_size(limit - MULTIPART_ALLOWANCE)} can be uploaded here, and this "
                f"upload is {readable_size(declared)}. Split the file into smaller files and upload each.",
            )
        return None


def _refuse(request, view_func, status: int, title: str, message: str) -> HttpResponse:
    accept = request.META.get("HTTP_ACCEPT", "")
    # A view for other systems (the integration API) marks itself: its callers read problem details.
    as_json = getattr(view_func, "refusals_as_json", False)
    if as_json or ("application/json" in accept and "text/html" not in accept):
        response = JsonResponse(
            {"type": "about:blank", "title": title, "status": status, "detail": message},
            status=status,
            content_type="application/problem+json",
        )
    else:
        response = render(
            request,
            "core/request_refused.jinja",
            {"title": title, "message": message, "back": _back(request)},
            status=status,
        )
    if not _read_and_thrown_away(request):
        # Some of the body is still unread, so the connection cannot carry another request after this one.
        response["Connection"] = "close"
    return response


def _back(request) -> str:
    """The page the upload came from, if it was one of Candour's own."""
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        return referer
    return request.path


def _read_and_thrown_away(request) -> bool:
    """Read the body (up to the setting) and throw it away, so that the client reads the answer; False if
    some of it is left unread. The server gives no more than the declared length, or a chunked body's end."""
    stream = request.environ.get("wsgi.input")
    if stream is None:
        return True
    budget = settings.CANDOUR_REFUSED_UPLOAD_READ_BYTES
    length = request.META.get("CONTENT_LENGTH") or ""
    # No length at all: a chunked body, which the server ends at its last chunk.
    declared = int(length) if length.isdigit() else None
    remaining = budget if declared is None else min(declared, budget)
    while remaining > 0:
        chunk = stream.read(min(DRAIN_CHUNK_BYTES, remaining))
        if not chunk:
            return True
        remaining -= len(chunk)
    return declared is not None and declared <= budget
