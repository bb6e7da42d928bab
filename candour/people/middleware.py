"""Privileged roles must pass a second factor before they see anything (when 2FA is required)."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from candour.people.access import needs_two_factor

SESSION_KEY = "two_factor_passed"
_OPEN_PREFIXES = ("/static/", "/health/", "/sign-in/", "/sign-out/", "/two-factor/")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.session.get(SESSION_KEY)
            and not request.path.startswith(_OPEN_PREFIXES)
            and needs_two_factor(user)
        ):
            confirmed = hasattr(user, "two_factor_device") and user.two_factor_device.confirmed_at
            target = reverse("people:verify_two_factor" if confirmed else "people:set_up_two_factor")
            # Back to the page that was asked for, once the second factor is passed.
            if request.method == "GET" and request.path != reverse("core:home"):
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)
