"""Public API responses are gzip-compressed when the client accepts it; validators still work."""

import gzip
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.services import preview_token

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
URLS = [
    "/api/v1/articles/",
    "/api/v1/topics/",
    "/api/v1/contacts/",
    "/api/v1/disclaimers/",
    "/api/v1/languages/",
    "/api/v1/i18n/catalog/",
]


def vary(response) -> set[str]:
    return {name.strip().lower() for name in response.get("Vary", "").split(",")}


@pytest.mark.parametrize("url", URLS)
def test_a_client_that_accepts_gzip_gets_the_same_json_compressed(api, demo_content, url):
    plain = api.get_json(url, lang="ar")
    compressed = api.get_json(url, lang="ar", headers=GZIP)
    assert compressed.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert int(compressed["Content-Length"]) == len(compressed.content)
    assert json.loads(gzip.decompress(compressed.content)) == plain.json()
    assert len(compressed.content) < len(plain.content)
    assert {"accept-encoding", "accept-language"} <= vary(compressed)


def test_without_accept_encoding_the_response_is_plain_and_says_it_varies(api, demo_content):
    response = api.get_json("/api/v1/articles/")
    assert not response.has_header("Content-Encoding")
    assert response.json()["count"] == 1
    assert "accept-encoding" in vary(response)


def test_a_body_too_short_to_gain_is_sent_as_it_is(api):
    response = api.get_json("/healthz", headers=GZIP)
    assert not response.has_header("Content-Encoding")
    assert response.json() == {"status": "ok"}


def test_the_compressed_etag_is_weak_and_still_answers_304(api, demo_content):
    plain = api.get_json("/api/v1/articles/", lang="uk")
    compressed = api.get_json("/api/v1/articles/", lang="uk", headers=GZIP)
    assert compressed["ETag"] == f"W/{plain['ETag']}"
    for etag in (compressed["ETag"], plain["ETag"]):
        revalidated = api.get_json(
            "/api/v1/articles/", lang="uk", headers={**GZIP, "If-None-Match": etag}
        )
        assert revalidated.status_code == 304
        assert revalidated.content == b""


def test_a_response_from_the_server_cache_is_compressed_as_it_is_sent(
    api, demo_content, response_cache
):
    first = api.get_json("/api/v1/topics/", lang="ar", headers=GZIP)
    again = api.get_json("/api/v1/topics/", lang="ar", headers=GZIP)
    plain_hit = api.get_json("/api/v1/topics/", lang="ar")
    assert (first["X-Cache"], again["X-Cache"], plain_hit["X-Cache"]) == ("miss", "hit", "hit")
    assert again["Content-Encoding"] == "gzip"
    assert gzip.decompress(again.content) == gzip.decompress(first.content) == plain_hit.content
    assert not plain_hit.has_header("Content-Encoding")


def test_compression_costs_no_query(api, demo_content):
    def queries(headers: dict) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api.get_json("/api/v1/articles/", lang="ar", headers=headers, page="1")
        assert response.status_code == 200
        return len(captured)

    queries({})  # what a process reads once (the shared documents' state) is read now
    plain, compressed = queries({}), queries(GZIP)
    assert compressed == plain == 2


def test_a_preview_carrying_its_token_is_never_compressed(api, demo_content):
    token = preview_token(Article.objects.get())
    response = api.get_json(f"/api/v1/preview/{token}/", headers=GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert token in response.json()["url"]
