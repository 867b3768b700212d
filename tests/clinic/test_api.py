"""Contacts, disclaimers, languages, the interface catalog and health checks."""

import pytest

from articles.models import Article
from tests.factories import ContactLineFactory, translate

pytestmark = pytest.mark.django_db


# Contacts


def test_contact_shape(api, demo_content):
    line = next(
        item
        for item in api.get_json("/api/v1/contacts/", lang="ar").json()
        if item["e164"] == "+380930552240"
    )
    assert line == {
        "language": "ar",
        "dir": "rtl",
        "translation": {"fallback_fields": [], "stale_fields": []},
        "e164": "+380930552240",
        "display": "+380 93 055 2240",
        "uri": "tel:+380930552240",
        "kind": "phone",
        "label": "خط باللغة العربية",
        "languages": ["ar"],
    }


@pytest.mark.parametrize(
    ("language", "first"),
    [("ar", "+380930552240"), ("en", "+380688898989"), ("uk", "+380688898989")],
)
def test_lines_speaking_the_request_language_come_first(api, demo_content, language, first):
    lines = api.get_json("/api/v1/contacts/", lang=language).json()
    assert lines[0]["e164"] == first
    assert len(lines) == 3


def test_untranslated_contact_label_falls_back(api):
    ContactLineFactory(label_en="Night line")
    line = api.get_json("/api/v1/contacts/", lang="uk").json()[0]
    assert line["label"] == "Night line"
    assert line["translation"]["fallback_fields"] == ["label"]


def test_contacts_cost_two_queries_however_many(api, django_assert_max_num_queries):
    for number in range(10):
        translate(ContactLineFactory(), "ar", label=f"خط {number}")
    with django_assert_max_num_queries(2):
        assert len(api.get_json("/api/v1/contacts/", lang="ar").json()) == 10


# Disclaimers and topics


@pytest.mark.parametrize("language", ["en", "ar", "uk"])
def test_disclaimers_in_each_language(api, demo_content, language):
    disclaimer = api.get_json("/api/v1/disclaimers/", lang=language).json()[0]
    assert disclaimer["key"] == "treatment-results"
    assert disclaimer["applies_to"] == "articles"
    assert disclaimer["language"] == language
    assert disclaimer["translation"]["fallback_fields"] == []
    assert disclaimer["text"]


@pytest.mark.parametrize("language", ["en", "ar", "uk"])
def test_topics_in_each_language(api, demo_content, language):
    topics = api.get_json("/api/v1/topics/", lang=language).json()
    assert len(topics) == 3
    assert all(topic["language"] == language for topic in topics)
    assert topics[0]["dir"] == ("rtl" if language == "ar" else "ltr")


# Languages


def test_languages_list_names_direction_default_and_fallback(api, demo_content):
    languages = {item["code"]: item for item in api.get_json("/api/v1/languages/").json()}
    assert list(languages) == ["en", "ar", "uk"]
    assert languages["ar"]["name"] == "Arabic"
    assert languages["ar"]["name_local"] == "العربيّة"
    assert languages["ar"]["dir"] == "rtl"
    assert languages["uk"]["name_local"] == "Українська"
    assert languages["en"]["default"] is True
    assert languages["ar"]["default"] is False
    assert languages["ar"]["fallback"] == ["ar", "en"]
    assert languages["en"]["fallback"] == ["en"]


def test_languages_completeness_per_content_type(api, demo_content):
    languages = {item["code"]: item for item in api.get_json("/api/v1/languages/").json()}
    articles = languages["ar"]["completeness"]["articles"]
    assert articles == {"percent": 100.0, "current": 7, "stale": 0, "missing": 0, "total": 7}
    assert set(languages["uk"]["completeness"]) == {
        "articles",
        "topics",
        "contacts",
        "disclaimers",
        "images",
        "reviewers",
    }


def test_completeness_counts_stale_and_missing_fields(api, demo_content):
    article = Article.objects.get()
    article.title_en = "A corrected title"
    article.save()
    ContactLineFactory(label_en="Night line")
    languages = {item["code"]: item for item in api.get_json("/api/v1/languages/").json()}
    assert languages["ar"]["completeness"]["articles"] == {
        "percent": 85.7,
        "current": 6,
        "stale": 1,
        "missing": 0,
        "total": 7,
    }
    assert languages["uk"]["completeness"]["contacts"] == {
        "percent": 75.0,
        "current": 3,
        "stale": 0,
        "missing": 1,
        "total": 4,
    }


# Interface catalog


def test_catalog_in_arabic_has_contact_us_and_six_plural_forms(api):
    body = api.get_json("/api/v1/i18n/catalog/", lang="ar").json()
    assert set(body) == {"catalog", "formats", "plural"}
    assert body["catalog"]["call to action\x04Contact us"] == "تواصل معنا"
    patients = body["catalog"]["study\x04%(count)s patient"]
    assert isinstance(patients, list)
    assert len(patients) == 6
    assert all(patients)
    assert "n%100>=11" in body["plural"].replace(" ", "")


def test_catalog_in_ukrainian(api):
    body = api.get_json("/api/v1/i18n/catalog/", accept_language="uk").json()
    assert body["catalog"]["call to action\x04Contact us"] == "Зв\u2019яжіться з нами"
    assert len(body["catalog"]["study\x04%(count)s patient"]) == 4


def test_catalog_in_english_is_empty_with_the_english_plural_rule(api):
    body = api.get_json("/api/v1/i18n/catalog/", lang="en").json()
    assert body["catalog"] == {}
    assert body["plural"] == "(n != 1)"


def test_catalog_holds_only_the_projects_strings(api):
    catalog = api.get_json("/api/v1/i18n/catalog/", lang="ar").json()["catalog"]
    assert "Log in" not in catalog  # Django admin's own strings are not sent to frontends


# Health


def test_healthz(api):
    response = api.get_json("/healthz")
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_reports_database_and_cache(api):
    response = api.get_json("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_readyz_is_degraded_not_down_when_the_cache_is_down(api, monkeypatch):
    """The API still serves without its cache: the instance stays in the load balancer."""
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", broken)
    response = api.get_json("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "unavailable"},
    }


def test_readyz_is_503_when_the_database_is_down(api, monkeypatch):
    from django.db import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper._execute", broken)
    response = api.get_json("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] == "unavailable"


def test_languages_completeness_does_not_count_unpublished_articles(api, demo_content):
    Article.objects.create(title_en="Unpublished draft", slug_en="unpublished-draft")
    languages = {item["code"]: item for item in api.get_json("/api/v1/languages/").json()}
    assert languages["ar"]["completeness"]["articles"]["total"] == 7
    assert languages["ar"]["completeness"]["articles"]["missing"] == 0
