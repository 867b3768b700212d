"""One language negotiation for every endpoint, said in every response."""

import pytest

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/languages/",
    "/api/v1/articles/",
    "/api/v1/topics/",
    "/api/v1/contacts/",
    "/api/v1/disclaimers/",
    "/api/v1/i18n/catalog/",
    "/healthz",
    "/readyz",
]


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("language", ["en", "ar", "uk"])
def test_every_endpoint_says_its_language_and_varies_on_it(api, demo_content, url, language):
    response = api.get_json(url, lang=language)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_accept_language_is_used_without_lang(api, demo_content, url):
    response = api.get_json(url, accept_language="fr, ar-EG;q=0.8")
    assert response["Content-Language"] == "ar"


def test_lang_wins_over_accept_language(api, demo_content):
    response = api.get_json("/api/v1/topics/", lang="uk", accept_language="ar")
    assert response["Content-Language"] == "uk"
    assert response.json()[0]["language"] == "uk"


def test_nothing_supported_means_english(api, demo_content):
    response = api.get_json("/api/v1/topics/", accept_language="fr, de;q=0.5")
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize("url", ENDPOINTS)
def test_unknown_lang_is_400_listing_supported(api, url):
    response = api.get_json(url, lang="fr")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "unsupported_language"
    assert error["details"] == {"supported": ["en", "ar", "uk"]}
    assert "Accept-Language" in response["Vary"]


def test_unsupported_language_error_is_in_the_accept_language(api):
    response = api.get_json("/api/v1/articles/", lang="fr", accept_language="ar")
    assert response["Content-Language"] == "ar"
    assert "fr" in response.json()["error"]["message"]
    assert "not supported" not in response.json()["error"]["message"]
