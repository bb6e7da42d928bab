"""Every operation fuzzed against the OpenAPI document with a valid key (schemathesis): no server errors, and
no answer the document does not describe (status, content type, headers, body shape)."""

import pytest
from django.core.wsgi import get_wsgi_application
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
def key(db, settings):
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
