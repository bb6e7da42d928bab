"""The import pages: every feed the person may upload, with its CSV layout, an example row and a template; an
upload page for each; and each import's page, which follows the background job (core.importing.jobs) until it
ends. Here beside the other platform pages because who may upload a feed is the access policy's answer."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from candour.core import exports, once
from candour.core.auto_refresh import refresh_while_working, wants_refresh
from candour.core.decorators import read_only
from candour.core.importing import feeds, jobs
from candour.core.models import ImportJob
from candour.core.refusals import submit
from candour.core.uploads import accepts_upload
from candour.people import queries
from candour.people.access import can
from candour.people.forms import FeedUploadForm


def job_page(job: ImportJob) -> str:
    return reverse("people:show_import_job", kwargs={"job_id": job.public_id})


def upload_page(feed: feeds.Feed) -> str:
    """The feed's own upload page if it has one, else the import pages' own."""
    if feed.upload_page:
        return reverse(feed.upload_page)
    return reverse("people:upload_feed", kwargs={"feed": feed.path})


def _uploadable(request, path: str) -> feeds.Feed:
    """The feed named in the URL: not found unless it is uploaded on these pages; forbidden without its
    permission."""
    feed = feeds.by_path(path)
    if feed is None or not feed.permission:
        raise Http404
    if not can(request.user, feed.permission):
        raise PermissionDenied
    return feed


@login_required
@read_only
def list_imports(request):
    uploadable = queries.uploadable_feeds(request.user)
    if not uploadable:
        raise PermissionDenied
    return render(
        request,
        "people/list_imports.jinja",
        {
            "feeds": [(feed, upload_page(feed)) for feed in uploadable],
            "titles": {feed.key: feed.title for feed in uploadable},
            "jobs": jobs.recent_jobs(request.user, feed_keys=[feed.key for feed in uploadable], count=10),
        },
    )


# The body's size is judged by core.uploads before anything reads it. The view runs outside the request's
# transaction so that keeping the file holds no lock: the job is queued in a brief transaction of its own,
# which claims the form's one-time token, so a form sent twice queues one import.
@login_required
@accepts_upload("CANDOUR_UPLOAD_MAX_BYTES")
@transaction.non_atomic_requests
@require_http_methods(["GET", "POST"])
def upload_feed(request, feed):
    feed = _uploadable(request, feed)
    if feed.upload_page:
        return redirect(feed.upload_page)
    sent = request.method == "POST"
    form = FeedUploadForm(request.POST if sent else None, request.FILES if sent else None, feed=feed)
    try:
        job = submit(
            request,
            form,
            lambda: jobs.start_import_job(
                by=request.user,
                feed=feed,
                upload=form.cleaned_data["file"],
                file_name=form.cleaned_data["file"].name,
                form_token=request.POST.get(once.FIELD, ""),
                job_page=job_page,
            ),
        )
    except once.SentBefore as earlier:
        return once.already_done(request, earlier.location)
    if job:
        return redirect(job_page(job))
    return render(
        request,
        "people/upload_feed.jinja",
        {
            "feed": feed,
            "form": form,
            "limit_mb": settings.CANDOUR_UPLOAD_MAX_BYTES / (1024 * 1024),
            "jobs": jobs.recent_jobs(request.user, feed_keys=[feed.key]),
        },
    )


@login_required
@read_only
def download_feed_template(request, feed):
    """A file with the feed's columns and its example row, to fill in or to check an export against."""
    feed = _uploadable(request, feed)
    example = [feed.example.get(column, "") for column in feed.columns]
    return exports.csv_response(f"{feed.path}-template.csv", [list(feed.columns), example])


@login_required
@read_only
def show_import_job(request, job_id):
    uploadable = {feed.key: feed for feed in queries.uploadable_feeds(request.user)}
    if not uploadable:
        raise PermissionDenied
    job = jobs.job_for(request.user, job_id)
    if job is None or job.feed not in uploadable:
        raise Http404
    feed = uploadable[job.feed]
    running = job.status in (ImportJob.Status.WAITING, ImportJob.Status.RUNNING)
    refreshing = wants_refresh(request, running)
    response = render(
        request,
        "people/show_import_job.jinja",
        {
            "job": job,
            "feed": feed,
            "upload_url": upload_page(feed),
            "progress": jobs.read_progress(job) if job.status == ImportJob.Status.RUNNING else None,
            "running": running,
            "refreshing": refreshing,
        },
    )
    return refresh_while_working(response, refreshing)
