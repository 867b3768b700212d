"""Production security behaviour of the running app (DEBUG off, as tests run)."""

import pytest

pytestmark = pytest.mark.django_db


def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/api/v1/topics/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_behind_the_tls_proxy_requests_are_served(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/api/v1/topics/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_health_probes_are_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/topics/", "/admin/login/", "/api/docs/"])
def test_security_headers(client, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
