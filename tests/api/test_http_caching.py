"""ETag, Last-Modified, 304 and Cache-Control on reads; a content change is never a 304."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article
from articles.services import article_unpublish
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

URLS = ["/api/v1/articles/", "/api/v1/topics/", "/api/v1/contacts/", "/api/v1/languages/"]


@pytest.mark.parametrize("url", URLS)
def test_reads_have_validators_and_public_cache_control(api, demo_content, url):
    response = api.get_json(url)
    assert response["ETag"]
    assert response["Last-Modified"]
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]


@pytest.mark.parametrize("url", URLS)
def test_matching_if_none_match_is_304(api, demo_content, url):
    etag = api.get_json(url, lang="ar")["ETag"]
    response = api.get_json(url, lang="ar", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_etag_differs_per_language(api, demo_content):
    assert (
        api.get_json("/api/v1/articles/", lang="ar")["ETag"]
        != api.get_json("/api/v1/articles/", lang="uk")["ETag"]
    )


def test_if_modified_since_is_304_until_content_changes(
    api, demo_content, django_capture_on_commit_callbacks
):
    first = api.get_json("/api/v1/articles/")
    since = {"If-Modified-Since": first["Last-Modified"]}
    assert api.get_json("/api/v1/articles/", headers=since).status_code == 304
    article = Article.objects.get()
    article.title_en = "Changed"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    # Last-Modified has a one-second resolution: look one second later.
    later = {"If-Modified-Since": http_date((timezone.now() - timedelta(seconds=1)).timestamp())}
    response = api.get_json("/api/v1/articles/", headers=later)
    assert response.status_code == 200
    assert response.json()["results"][0]["title"] == "Changed"


def test_unpublishing_changes_the_etag(api, demo_content):
    etag = api.get_json("/api/v1/articles/")["ETag"]
    article_unpublish(article=Article.objects.get())
    response = api.get_json("/api/v1/articles/", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_deleting_moves_last_modified(api, demo_content, django_capture_on_commit_callbacks):
    before = api.get_json("/api/v1/articles/")["Last-Modified"]
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get().delete()
    response = api.get_json("/api/v1/articles/", headers={"If-Modified-Since": before})
    # The version moved (same second allowed): never a 304 with the old body.
    assert response.status_code in (200, 304)
    if response.status_code == 304:
        assert response["Last-Modified"] == before
    assert api.get_json("/api/v1/articles/").json()["count"] == 0


def test_scheduled_article_moves_last_modified_when_it_goes_live(
    api, django_capture_on_commit_callbacks
):
    soon = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(published_at=soon)
    before = api.get_json("/api/v1/articles/")["Last-Modified"]
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=soon + timedelta(seconds=5)):
        response = api.get_json("/api/v1/articles/")
    assert response.json()["count"] == 1
    assert response["Last-Modified"] != before
    assert response["Last-Modified"] == http_date(soon.timestamp())


def test_errors_are_not_publicly_cacheable(api):
    response = api.get_json("/api/v1/articles/missing/")
    assert "public" not in response.get("Cache-Control", "")


def test_last_modified_comes_from_the_database_not_the_cache(api, demo_content):
    """Losing every cache entry changes no validator: the read model's rows say when."""
    from django.core.cache import cache

    first = api.get_json("/api/v1/articles/")
    cache.clear()
    again = api.get_json("/api/v1/articles/", headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 304
    assert api.get_json("/api/v1/articles/")["Last-Modified"] == first["Last-Modified"]
