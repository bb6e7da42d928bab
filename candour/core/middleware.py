"""Cross-cutting request handling: the content security policy and the idle session timeout."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

# No inline script or style anywhere: the design system's JS and our enhancements are files. Django admin
# (5.2) keeps its scripts and styles in files too, passing its values in data- attributes, so the same
# policy holds there: tests/browser/test_admin_security_policy.py checks it in Chromium.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


_LEFT_ALONE = "_candour_session_left_alone"


def leave_session_alone(request) -> None:
    """This request writes nothing to the person's session: an anonymous report must not change a row
    that is theirs, or it would carry the moment it was sent (docs/adr/0018)."""
    setattr(request, _LEFT_ALONE, True)


class IdleTimeoutMiddleware:
    """Sign out a session left idle. The timestamp is refreshed at most once a minute to spare writes, once
    the view has answered, and never for a request that leaves the session alone."""

    REFRESH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        last_seen = request.session.get("last_seen", now)
        if now - last_seen > settings.CANDOUR_IDLE_TIMEOUT_SECONDS:
            logout(request)
            messages.info(request, "You were signed out because you were inactive. Sign in again.")
            return redirect(settings.LOGIN_URL)
        response = self.get_response(request)
        due = now - last_seen >= self.REFRESH_SECONDS or "last_seen" not in request.session
        if due and request.user.is_authenticated and not getattr(request, _LEFT_ALONE, False):
            request.session["last_seen"] = now
        return response
