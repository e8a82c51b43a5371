"""Contract tests: schemathesis generates requests from the OpenAPI schema of /api/v1/ and
sends them through the Django WSGI app, anonymously and with a secretariat's API token.
No answer may be a 5xx, and every answer must match the schema (status code, content type,
body). Few examples per operation keep this to well under a minute."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from portal.models import ApiToken
from portal.services import hash_secret
from samarbeid.wsgi import application

from .factories import build_world

_openapi = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
schema = _openapi.include(path_regex="^/api/v1/")
# With a token the reads answer as they do anonymously: the token run covers the writes.
writes = _openapi.include(path_regex="^/api/v1/", method=["POST", "PATCH"])

SECRET = "smb_c0ffee00_contract-tests-only"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def seeded(secretariat_user):
    """The world and a token; the WSGI app must not close the test's database connection
    at the end of each request (Django's own test client disconnects the same handler)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    build_world()
    ApiToken.objects.create(
        user=secretariat_user, name="contract", prefix="c0ffee00", secret_hash=hash_secret(SECRET)
    )
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema_anonymously(case, seeded):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@writes.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema_with_a_token(case, seeded):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {SECRET}"})
