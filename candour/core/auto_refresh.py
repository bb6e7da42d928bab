"""Pages that follow work done in the background (an import, a report, a zip) update themselves until it ends.

The update is a `Refresh` header, the same as <meta http-equiv="refresh"> without JavaScript, so the page
itself carries no timed refresh; and each such page offers a link that stops it (WCAG 2.2.1, timing
adjustable), which `?refresh=off` carries. The page's words come from components/auto_refresh.jinja.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def wants_refresh(request: HttpRequest, working: bool) -> bool:
    """Whether the page should update itself: while the work goes on, unless the reader stopped it."""
    return working and request.GET.get("refresh") != "off"


def refresh_while_working(response: HttpResponse, refreshing: bool) -> HttpResponse:
    if refreshing:
        response["Refresh"] = str(settings.CANDOUR_AUTO_REFRESH_SECONDS)
    return response
