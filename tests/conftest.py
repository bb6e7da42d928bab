"""Fixtures every test may use. Keep this small: builders live in tests/support/factories.py."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

from candour.people.middleware import SESSION_KEY as TWO_FACTOR_PASSED
from candour.people.roles import Role
from tests.support import factories
from tests.support.audit import append_only_lifted
from tests.support.smtp import SmtpServer


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # Argon2 is deliberately slow; tests only need hashes that check, and make thousands of them.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_audit_guard():
    """Between transactional tests the harness empties every table. PostgreSQL does it with TRUNCATE, which
    the append-only triggers do not see; SQLite with DELETE, which its triggers refuse, so lift them there."""
    if connection.vendor != "sqlite":
        yield
        return
    from django.db.backends.sqlite3.base import DatabaseOperations

    flush = DatabaseOperations.execute_sql_flush

    def flush_past_append_only_tables(self, sql_list):
        with transaction.atomic(using=self.connection.alias), append_only_lifted():
            flush(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "execute_sql_flush", flush_past_append_only_tables)
        yield


@pytest.fixture(autouse=True)
def _audit_heads_of_this_test(settings, tmp_path):
    """Each test's database has its own audit chain, so it records that chain's heads in its own file."""
    settings.CANDOUR_AUDIT_HEADS_FILE = tmp_path / "audit-heads.jsonl"


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Restore what data migrations put in the database. A transactional test (and every live-server
    journey) ends by flushing every table, which would leave later tests on that worker without it."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & names:
        request.getfixturevalue("transactional_db")
    elif marker or "db" in names:
        request.getfixturevalue("db")
    else:
        return
    from candour.core import reference_data

    reference_data.restore_missing()


@pytest.fixture
def make_user(db):
    """make_user(role=Role.GUARDIAN, unit=trust) -> a User with a Person, holding that role over that unit.

    Without a unit, each call builds its own trust → area → station and the role is held at the station.
    """

    def make(role: str = Role.STAFF, unit=None, **fields):
        return factories.make_user(role, unit, **fields)

    return make


@pytest.fixture
def client_for(db):
    """client_for(user) -> a Django test Client signed in as that user, second factor already passed
    (tests of the second factor itself pass two_factor=False)."""

    def signed_in(user, *, two_factor: bool = True) -> Client:
        client = Client()
        client.force_login(user)
        if two_factor:
            session = client.session
            session[TWO_FACTOR_PASSED] = True
            session.save()
        return client

    return signed_in


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django's mail goes to it over SMTP. Read `smtp_server.messages`."""
    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield server
    finally:
        server.stop()
