"""Every operation fuzzed against the OpenAPI document with a valid key (schemathesis): no server errors, and
no answer the document does not describe (status, content type, headers, body shape)."""

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from candour.api.scopes import KeyScope
from tests.api.support import integration, issued_key
from tests.support.factories import PersonFactory, StationFactory

schema = openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def connection_kept_between_calls():
    """Schemathesis calls the WSGI application itself, not through Django's test client, so nothing stops
    Django closing the test's database connection when each call ends; on PostgreSQL that closed the
    transaction the test stands in (SQLite's in-memory test database is never closed). As the test client
    does, the signals that close it are held off while the calls run."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def key(db, settings, connection_kept_between_calls):
    settings.CANDOUR_API_CALLS_PER_WINDOW = 1_000_000
    station = StationFactory()
    PersonFactory(staff_number="100234", station=station)
    made = integration(station.trust)
    return issued_key(made, scopes=list(KeyScope.values), units=[station.trust])[0]


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_answers_as_documented(case, key):
    case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)
