"""Schemathesis against the app's own OpenAPI schema, in-process (WSGI): no server errors,
every response as documented, schema-violating requests refused, for every operation,
parameter and header. (Against a live server: tests/api/test_live_clients.py.)"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.throttling import AnonRateThrottle

from clinic.wsgi import application

# The app runs as in production, behind a TLS-terminating proxy. Bodies are asked for
# plain: the in-process (WSGI) transport does not decode gzip as an HTTP client does
# (tests/api/test_live_clients.py runs schemathesis over HTTP, compression included).
BEHIND_TLS_PROXY = {"X-Forwarded-Proto": "https", "Accept-Encoding": "identity"}
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
    # Every check, "schema-violating request accepted" (negative_data_rejection) included:
    # what the schema forbids (an empty `lang`, a date-time without its offset) is a 400.
    case.call_and_validate(headers=BEHIND_TLS_PROXY)
