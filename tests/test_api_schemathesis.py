"""schemathesis against /api/v1/openapi.json, in-process through the WSGI app: generated
requests (valid and invalid) to every operation find no 5xx, and every answer has a status,
content type, headers and body that the schema documents."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
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
def api_data(settings):
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
