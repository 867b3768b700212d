"""Schemathesis against the app's own OpenAPI schema, in-process (WSGI): no server errors,
every response as documented, for every operation, parameter and header."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.throttling import AnonRateThrottle
from schemathesis.specs.openapi.checks import negative_data_rejection

from clinic.wsgi import application

# The app runs as in production, behind a TLS-terminating proxy.
BEHIND_TLS_PROXY = {"X-Forwarded-Proto": "https"}
schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=BEHIND_TLS_PROXY)


@pytest.fixture
def unthrottled(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "100000/second"})


@pytest.fixture
def keep_test_connection():
    """The WSGI app closes database connections after each request; the test's must stay.

    (Django's own test client does the same.)
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_conforms_to_the_schema(
    case, demo_content, unthrottled, keep_test_connection
):
    # Schema-invalid input gets a 400, or a documented fallback (an empty `lang` is no
    # `lang`): the "negative data must be rejected" check does not apply to those.
    case.call_and_validate(headers=BEHIND_TLS_PROXY, excluded_checks=[negative_data_rejection])
