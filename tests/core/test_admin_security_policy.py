"""Django admin's pages carry the same content security policy as the rest of Candour (no inline script
or style); tests/browser/test_admin_security_policy.py shows admin works under it in Chromium."""

from candour.core.middleware import CONTENT_SECURITY_POLICY
from candour.people.roles import Role


def test_admin_pages_and_admin_sign_in_send_the_content_security_policy(make_user, client_for):
    admin = client_for(make_user(Role.SYSTEM_ADMIN))

    for path in ("/admin/", "/admin/people/orgunit/", "/admin/people/coreservice/add/", "/admin/login/"):
        response = admin.get(path)
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
