"""Authentication goes through `people.services.sign_in` only, so lockout and audit cannot be bypassed.

This backend restores the signed-in user from the session and refuses every other way in
(including Django admin's own login form).
"""

from django.contrib.auth.backends import BaseBackend

from candour.people.models import User


class SessionBackend(BaseBackend):
    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id, is_active=True).select_related("person__job_role").first()
