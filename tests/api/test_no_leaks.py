"""Drafts, articles in review, scheduled articles and unpublished translations are
invisible through every path of the public API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, TopicFactory, translate

pytestmark = pytest.mark.django_db

SECRET = "SECRETWORD"
LANGUAGES = ["en", "ar", "uk"]


@pytest.fixture
def world():
    topic = translate(TopicFactory(name_en="Stem cells"), "ar", name="الخلايا الجذعية")
    public = translate(
        ArticleFactory(title_en="Public stem cell report", summary_en="Public summary."),
        "ar",
        publish=False,
        title=f"مسودة {SECRET}",
        summary=f"ملخص {SECRET}",
    )
    hidden = [
        ArticleFactory(title_en=f"Draft {SECRET}", status=Article.Status.DRAFT),
        ArticleFactory(title_en=f"Review {SECRET}", status=Article.Status.IN_REVIEW),
        ArticleFactory(
            title_en=f"Scheduled {SECRET}", published_at=timezone.now() + timedelta(days=3)
        ),
    ]
    for article in [public, *hidden]:
        article.topics.add(topic)
    return {"public": public, "hidden": hidden, "topic": topic}


def assert_no_secret(response):
    assert SECRET not in response.content.decode(), response.content.decode()[:500]


@pytest.mark.parametrize("language", LANGUAGES)
def test_list_search_and_topic_filter(api, world, language):
    for params in (
        {},
        {"q": SECRET},
        {"q": "SECRETWORD"},
        {"topic": world["topic"].slug_en},
        {"topic": world["topic"].slug_ar},
        {"ordering": "title"},
    ):
        response = api.get_json("/api/v1/articles/", lang=language, **params)
        assert response.status_code == 200
        assert_no_secret(response)
        assert response.json()["count"] <= 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_detail_by_every_slug_of_hidden_articles(api, world, language):
    for article in world["hidden"]:
        for slug in (article.slug_en, article.slug_ar, article.slug_uk):
            if slug:
                response = api.get_json(f"/api/v1/articles/{slug}/", lang=language)
                assert response.status_code == 404
                assert_no_secret(response)


def test_slug_of_an_unpublished_translation(api, world):
    response = api.get_json(f"/api/v1/articles/{world['public'].slug_ar}/")
    assert response.status_code == 404


@pytest.mark.parametrize("language", LANGUAGES)
def test_detail_alternates_and_json_ld_of_a_public_article(api, world, language):
    response = api.get_json(f"/api/v1/articles/{world['public'].slug_en}/", lang=language)
    assert_no_secret(response)
    body = response.json()
    assert body["available_languages"] == ["en"]
    assert set(body["alternates"]) == {"en", "x-default"}
    assert body["json_ld"]["inLanguage"] == "en"


def test_conditional_requests_reveal_nothing(api, world):
    etag = api.get_json("/api/v1/articles/")["ETag"]
    world["hidden"][0].status = Article.Status.PUBLISHED
    world["hidden"][0].save()
    response = api.get_json("/api/v1/articles/", headers={"If-None-Match": etag})
    assert response.status_code == 200  # the list changed: never a stale 304
    world["hidden"][0].status = Article.Status.DRAFT
    world["hidden"][0].save()
    response = api.get_json("/api/v1/articles/", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_response_cache_reveals_nothing(api, world, response_cache):
    for _ in range(2):
        for language in LANGUAGES:
            assert_no_secret(api.get_json("/api/v1/articles/", lang=language, q=SECRET))
            assert_no_secret(api.get_json("/api/v1/articles/", lang=language))


@pytest.mark.parametrize(
    "url",
    [
        "/api/schema/",
        "/api/docs/",
        "/api/v1/i18n/catalog/",
        "/api/v1/languages/",
        "/api/v1/topics/",
        "/api/v1/disclaimers/",
        "/api/v1/contacts/",
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_other_endpoints(api, world, url, language):
    assert_no_secret(api.get_json(url, lang=language))


def test_languages_completeness_does_not_count_hidden_articles(api, world):
    for item in api.get_json("/api/v1/languages/").json():
        assert item["completeness"]["articles"]["total"] == 4  # the public article's fields
