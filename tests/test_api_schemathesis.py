"""schemathesis against /api/v1/openapi.json, in-process through the WSGI app: generated
requests (valid and invalid) to every operation find no 5xx, and every answer has a status,
content type, headers and body that the schema documents."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from claims.models import ApiKey
from tests.factories import create_correction, create_denied_chain

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def one_connection():
    """Django closes the database connection after each request it serves; the test
    Client stops it doing so, but schemathesis calls the WSGI app directly, and on
    PostgreSQL that would close the test's own transaction's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(settings, one_connection):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast users
    settings.API_ANON_PER_MINUTE = 100_000
    chain = create_denied_chain()
    create_correction(verdict=chain["verdict"])
    return {"key": ApiKey.issue(partner="Fuzzer", requests_per_minute=100_000)[1]}


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_the_api_keeps_to_its_schema(case, api_data):
    # The webhook endpoints need a key; reads are tried without one.
    headers = {"X-API-Key": api_data["key"]} if "webhooks" in case.path else None
    case.call_and_validate(headers=headers, checks=CHECKS)
