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


def test_the_json_api_allows_nothing_to_run(client):
    policy = client.get("/api/v1/topics/")["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("url", ["/admin/login/", "/api/docs/"])
def test_admin_and_docs_run_only_same_origin_scripts(client, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    html = response.content.decode()
    import re

    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*importmap)[^>]*>", html)


def test_the_docs_script_is_served_from_a_url(client):
    response = client.get("/api/docs/", {"script": ""})
    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()


def test_the_editor_import_map_is_allowed_by_its_hash(admin_client):
    import base64
    import hashlib
    import re

    from tests.factories import ArticleFactory

    article = ArticleFactory()
    response = admin_client.get(f"/admin/articles/article/{article.pk}/change/")
    importmap = re.search(
        r'<script type="importmap"[^>]*>(.*?)</script>', response.content.decode(), re.S
    ).group(1)
    digest = base64.b64encode(hashlib.sha256(importmap.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response["Content-Security-Policy"]
