"""Every error under /api/ is JSON {"error": {code, message, details}}, in the request language."""

import pytest
from django.test import Client
from rest_framework.throttling import AnonRateThrottle

from clinic.api import published

pytestmark = pytest.mark.django_db


def error_of(response) -> dict:
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


@pytest.mark.parametrize("url", ["/api/v1/nothing-here/", "/api/v2/articles/", "/api/"])
def test_unknown_api_path_is_a_json_404(api, url):
    response = api.get_json(url)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_404_message_is_translated(api):
    english = error_of(api.get_json("/api/v1/articles/missing/", lang="en"))["message"]
    arabic = error_of(api.get_json("/api/v1/articles/missing/", lang="ar"))["message"]
    ukrainian = error_of(api.get_json("/api/v1/articles/missing/", lang="uk"))["message"]
    assert len({english, arabic, ukrainian}) == 3


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405(client, method):
    response = getattr(client, method)("/api/v1/articles/", content_type="application/json")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_non_json_accept_is_406(client):
    response = client.get("/api/v1/topics/", headers={"Accept": "application/xml"})
    assert response.status_code == 406
    assert error_of(response)["code"] == "not_acceptable"


def test_bad_parameter_message_is_in_arabic(api):
    error = error_of(api.get_json("/api/v1/articles/", lang="ar", page_size="500"))
    assert error["code"] == "invalid_parameters"
    assert "Some parameters" not in error["message"]
    assert "page_size" in error["details"]


def test_throttled_is_429_with_retry_after(api, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    for _ in range(2):
        assert api.get_json("/api/v1/topics/").status_code == 200
    response = api.get_json("/api/v1/topics/", lang="ar")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    error = error_of(response)
    assert error["code"] == "throttled"
    assert error["details"]["retry_after"] == int(response["Retry-After"])
    assert "Too many" not in error["message"]


def test_server_error_is_json_without_a_traceback(monkeypatch):
    def explode(*args):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(published, "unpaginated", explode)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/contacts/", {"lang": "uk"})
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error"
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert response["Content-Language"] == "uk"


def test_throttling_is_not_bypassed_with_x_forwarded_for(api, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    for number in range(2):
        api.get_json("/api/v1/topics/", headers={"X-Forwarded-For": f"10.0.0.{number}"})
    response = api.get_json("/api/v1/topics/", headers={"X-Forwarded-For": "10.0.0.99"})
    assert response.status_code == 429


def test_behind_a_proxy_each_client_address_is_throttled_on_its_own(api, settings, monkeypatch):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})

    def from_client(address: str) -> int:
        return api.get_json("/api/v1/topics/", headers={"X-Forwarded-For": address}).status_code

    assert [from_client("203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert from_client("203.0.113.2") == 200


def test_a_history_is_kept_packed_and_one_kept_as_a_list_still_counts(api, monkeypatch):
    """Histories are arrays of times; a list kept by an earlier release is read as one."""
    import time
    from array import array

    from django.core.cache import cache

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    key = "throttle_anon_127.0.0.1"
    assert api.get_json("/api/v1/topics/").status_code == 200
    kept = cache.get(key)
    assert isinstance(kept, array) and len(kept) == 1
    now = time.time()
    cache.set(key, [now - 1, now - 2], 60)  # newest first, as DRF keeps it
    assert api.get_json("/api/v1/topics/").status_code == 200
    assert list(cache.get(key))[1:] == [now - 1, now - 2]
    assert api.get_json("/api/v1/topics/").status_code == 429


def test_the_api_authenticates_nobody_so_every_request_is_throttled_by_its_address():
    """The throttle counts every request by client address, Django's request or DRF's."""
    from django.test import RequestFactory
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    from clinic.api.throttling import AnonRateThrottle as ApiThrottle

    assert api_settings.DEFAULT_AUTHENTICATION_CLASSES == []
    request = RequestFactory().get("/api/v1/topics/", REMOTE_ADDR="203.0.113.7")
    keys = {ApiThrottle().get_cache_key(r, None) for r in (request, Request(request))}
    assert keys == {"throttle_anon_203.0.113.7"}
