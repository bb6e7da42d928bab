"""View decorators the platform shares."""

from django.db import transaction
from django.views.decorators.http import require_safe


def read_only(view):
    """GET and HEAD only, and outside the per-request transaction: a page that only reads should not
    hold SQLite's write lock (ATOMIC_REQUESTS), so readers run side by side. Writes it makes anyway,
    such as an audit event, are atomic in their own service."""
    return transaction.non_atomic_requests(require_safe(view))
