"""View guards: sign-in, then the permission, else the 403 page."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from candour.people.access import can


def permission_required(permission: str):
    """Signed-out users go to sign in; signed-in users without the permission get 403."""

    def decorate(view):
        @login_required
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not can(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorate
