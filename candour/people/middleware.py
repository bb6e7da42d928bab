"""Privileged roles must pass a second factor before they see anything (when 2FA is required)."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from candour.people.access import has_role
from candour.people.roles import PRIVILEGED_ROLES

SESSION_KEY = "two_factor_passed"
_OPEN_PREFIXES = ("/static/", "/health/", "/sign-in/", "/sign-out/", "/two-factor/")


def needs_two_factor(user) -> bool:
    return settings.CANDOUR_REQUIRE_2FA and has_role(user, *PRIVILEGED_ROLES)


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
            return redirect(reverse("people:verify_two_factor" if confirmed else "people:set_up_two_factor"))
        return self.get_response(request)
