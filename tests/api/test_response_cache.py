"""The server-side response cache: fast repeats, never stale after a change."""

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import polib
import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from articles.services import article_publish, article_unpublish
from tests.admin_forms import admin_form_data
from tests.factories import ArticleFactory, record_review

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed (the content version moves on commit)."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def test_a_repeat_is_served_from_the_cache_without_queries(
    api, demo_content, response_cache, django_assert_num_queries
):
    first = api.get_json(LIST, lang="ar")
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = api.get_json(LIST, lang="ar")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Language"] == "ar"
    assert second["Last-Modified"] == first["Last-Modified"]


def test_accept_language_variants_share_one_entry(api, demo_content, response_cache):
    api.get_json(LIST, accept_language="ar-EG,ar;q=0.9")
    assert api.get_json(LIST, lang="ar")["X-Cache"] == "hit"
    assert api.get_json(LIST, lang="uk")["X-Cache"] == "miss"


def test_query_order_does_not_fragment_the_cache(api, demo_content, response_cache):
    api.get_json(f"{LIST}?page_size=5&ordering=title")
    assert api.get_json(f"{LIST}?ordering=title&page_size=5")["X-Cache"] == "hit"


def test_errors_and_previews_are_not_cached(api, response_cache):
    from articles.services import preview_token

    for _ in range(2):
        assert api.get_json(f"{LIST}missing/").get("X-Cache") is None
    article = ArticleFactory(status=Article.Status.DRAFT)
    url = f"/api/v1/preview/{preview_token(article)}/"
    for _ in range(2):
        assert api.get_json(url).get("X-Cache") is None


def _title(api):
    return api.get_json(LIST, lang="en").json()["results"][0]["title"]


def test_an_admin_save_is_served_at_once(
    api, demo_content, response_cache, admin_client, committed
):
    article = Article.objects.get()
    _title(api)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = admin_form_data(admin_client.get(url), title_en="Edited in the admin")
    committed(admin_client.post, url, data)
    assert _title(api) == "Edited in the admin"


def test_publish_and_unpublish_are_served_at_once(api, demo_content, response_cache, committed):
    article = Article.objects.get()
    assert api.get_json(LIST).json()["count"] == 1
    committed(article_unpublish, article=article)
    assert api.get_json(LIST).json()["count"] == 0
    record_review(article)
    committed(article_publish, article=article)
    assert api.get_json(LIST).json()["count"] == 1


def test_a_recorded_review_is_served_at_once(api, demo_content, response_cache, committed):
    article = Article.objects.get()
    url = f"/api/v1/articles/{article.slug_en}/"
    assert api.get_json(url).json()["medical_review"] is None
    committed(record_review, article, "en")
    assert api.get_json(url).json()["medical_review"] is not None


def test_a_translation_import_is_served_at_once(
    api, demo_content, response_cache, committed, tmp_path
):
    path = tmp_path / "ar.po"
    call_command("export_translations", "ar", "-o", str(path), stderr=io.StringIO())
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgctxt.endswith(":title") and "article" in e.msgctxt)
    entry.msgstr = "عنوان مستورد"
    po.save(str(path))
    api.get_json(LIST, lang="ar")
    committed(call_command, "import_translations", str(path), stdout=io.StringIO())
    assert api.get_json(LIST, lang="ar").json()["results"][0]["title"] == "عنوان مستورد"


def test_a_restored_revision_is_served_at_once(
    api, demo_content, response_cache, admin_client, committed
):
    article = Article.objects.get()
    url = reverse("admin:articles_article_change", args=[article.pk])
    for title in ("Second title", "Third title"):
        committed(admin_client.post, url, admin_form_data(admin_client.get(url), title_en=title))
    assert _title(api) == "Third title"
    second = list(Version.objects.get_for_object(article))[1]  # newest first
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, second.pk])
    committed(admin_client.post, revision_url, admin_form_data(admin_client.get(revision_url)))
    assert _title(api) == "Second title"


def test_a_delete_is_served_at_once(api, demo_content, response_cache, committed):
    assert api.get_json(LIST).json()["count"] == 1
    committed(Article.objects.get().delete)
    assert api.get_json(LIST).json()["count"] == 0


def test_a_scheduled_article_appears_when_its_time_passes(api, response_cache, committed):
    soon = timezone.now() + timedelta(minutes=10)
    committed(ArticleFactory, title_en="Scheduled", published_at=soon)
    assert api.get_json(LIST).json()["count"] == 0
    assert api.get_json(LIST)["X-Cache"] == "hit"
    with mock.patch("django.utils.timezone.now", return_value=soon + timedelta(seconds=1)):
        response = api.get_json(LIST)
    assert response["X-Cache"] == "miss"
    assert response.json()["count"] == 1


# List totals (counted once per content version)


def test_a_list_total_is_counted_once_until_the_list_changes(
    api, count_cache, django_assert_num_queries
):
    for n in range(3):
        ArticleFactory(title_en=f"Article {n}")
    first = api.get_json(LIST, page_size="2")
    with django_assert_num_queries(1):  # the page of documents: no COUNT
        second = api.get_json(LIST, page_size="2", page="2", ordering="title")
    assert first.json()["count"] == second.json()["count"] == 3


def test_a_list_total_follows_every_change(api, count_cache, committed):
    filtered = {"q": "Stem"}
    assert api.get_json(LIST, **filtered).json()["count"] == 0
    article = committed(ArticleFactory, title_en="Stem cells")
    assert api.get_json(LIST, **filtered).json()["count"] == 1
    assert api.get_json(LIST, q="Other").json()["count"] == 0  # each filter has its own total
    committed(article_unpublish, article=article)
    assert api.get_json(LIST, **filtered).json()["count"] == 0


def test_a_list_total_counts_a_scheduled_article_once_its_time_passes(api, count_cache, committed):
    soon = timezone.now() + timedelta(minutes=10)
    committed(ArticleFactory, title_en="Scheduled", published_at=soon)
    assert api.get_json(LIST).json()["count"] == 0
    with mock.patch("django.utils.timezone.now", return_value=soon + timedelta(seconds=1)):
        assert api.get_json(LIST).json()["count"] == 1


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL"),
    reason="needs PostgreSQL and Redis (CI runs it with DATABASE_URL and REDIS_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_two_processes_sharing_redis_see_each_others_changes(api, settings):
    """This process caches a response; another process edits; this one serves the edit."""
    settings.API_RESPONSE_CACHE_SECONDS = 300
    settings.API_FRESHNESS_SECONDS = 0  # ask the database at every request (the bound: 1 s)
    article = ArticleFactory(title_en="Before")
    assert _title(api) == "Before"
    assert api.get_json(LIST, lang="en")["X-Cache"] == "hit"
    other_process = (
        "import django; django.setup()\n"
        "from articles.models import Article\n"
        f"article = Article.objects.get(pk={article.pk})\n"
        "article.title_en = 'Edited by another process'\n"
        "article.save()\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "DATABASE_URL": _database_url(),
    }
    subprocess.run([sys.executable, "-c", other_process], cwd=ROOT, env=env, check=True)
    assert _title(api) == "Edited by another process"


def _database_url() -> str:
    params = connection.settings_dict
    return f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{params['NAME']}"


# Answered up front: a hit skips the rest of the API's middleware and DRF, and is still
# the response the whole stack gives that request.

RECORDER = "tests.api.test_lean_stack.Recorder"


def test_a_hit_is_answered_before_the_rest_of_the_middleware_and_the_view(
    api, demo_content, response_cache, settings
):
    from tests.api.test_lean_stack import calls

    settings.API_MIDDLEWARE = [*settings.API_MIDDLEWARE, RECORDER]
    calls.clear()
    miss = api.get_json(LIST, lang="ar", headers={"X-Forwarded-Proto": "https"})
    assert calls == [("call", LIST), ("view", LIST)]
    calls.clear()
    hit = api.get_json(LIST, lang="ar", headers={"X-Forwarded-Proto": "https"})
    assert calls == []
    assert (miss["X-Cache"], hit["X-Cache"]) == ("miss", "hit")
    assert hit.content == miss.content
    # Every header the middleware and the view gave the miss: security, CSP, language, …
    for name in (
        "Content-Type",
        "Content-Language",
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Cache-Control",
        "Last-Modified",
        "ETag",
        "Vary",
    ):
        assert miss.has_header(name), name
        assert hit[name] == miss[name], name
    assert int(hit["Content-Length"]) == len(hit.content)


def test_a_hit_answers_a_matching_if_none_match_with_304(api, demo_content, response_cache):
    etag = api.get_json(LIST, lang="uk")["ETag"]
    revalidated = api.get_json(LIST, lang="uk", headers={"If-None-Match": etag})
    assert revalidated.status_code == 304
    assert revalidated.content == b""


def test_a_response_is_kept_for_its_own_host(api, demo_content, response_cache, settings):
    """Absolute URLs name the host asked: another allowed host gets its own."""
    settings.ALLOWED_HOSTS = ["api.clinic.example", "api.other.example"]
    first = api.get_json(LIST, lang="en", headers={"Host": "api.clinic.example"})
    other = api.get_json(LIST, lang="en", headers={"Host": "api.other.example"})
    assert (first["X-Cache"], other["X-Cache"]) == ("miss", "miss")
    assert b"//api.clinic.example/" in first.content
    assert b"//api.other.example/" in other.content
    assert b"//api.clinic.example/" not in other.content
    refused = api.get_json(LIST, lang="en", headers={"Host": "evil.example"})
    assert refused.status_code == 400


def test_indented_json_is_kept_apart_from_plain(api, demo_content, response_cache):
    indented = {"Accept": "application/json; indent=2"}
    assert b"\n  " in api.get_json(LIST, headers=indented).content
    plain = api.get_json(LIST)
    assert plain["X-Cache"] == "miss"
    assert b"\n  " not in plain.content
    assert b"\n  " in api.get_json(LIST, headers=indented).content


def test_a_hit_carries_the_cors_headers_of_its_own_origin(
    api, demo_content, response_cache, settings
):
    settings.CORS_ALLOWED_ORIGINS = ["https://news.clinic.example"]
    allowed = {"Origin": "https://news.clinic.example"}
    for _ in range(2):
        response = api.get_json(LIST, headers=allowed)
        assert response["Access-Control-Allow-Origin"] == "https://news.clinic.example"
    assert response["X-Cache"] == "hit"
    for _ in range(2):
        response = api.get_json(LIST, headers={"Origin": "https://evil.example"})
        assert not response.has_header("Access-Control-Allow-Origin")
    assert response["X-Cache"] == "hit"


def test_a_hit_counts_against_the_throttle(api, demo_content, response_cache, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    assert api.get_json(LIST)["X-Cache"] == "miss"
    assert api.get_json(LIST)["X-Cache"] == "hit"
    refused = api.get_json(LIST)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert refused.has_header("Retry-After")


def test_an_empty_lang_is_refused_even_when_the_default_is_kept(api, demo_content, response_cache):
    api.get_json(LIST)
    assert api.get_json(LIST)["X-Cache"] == "hit"
    refused = api.get_json(f"{LIST}?lang=")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "unsupported_language"


def test_a_hit_still_answers_every_precondition(api, demo_content, response_cache):
    """Conditional requests get what Django's ConditionalGetMiddleware gives, hit or miss."""
    first = api.get_json(LIST, lang="ar")
    assert api.get_json(LIST, lang="ar", headers={"If-Match": '"other"'}).status_code == 412
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert api.get_json(LIST, lang="ar", headers={"If-Unmodified-Since": old}).status_code == 412
    since = {"If-Modified-Since": first["Last-Modified"]}
    assert api.get_json(LIST, lang="ar", headers=since).status_code == 304
    plain = api.get_json(LIST, lang="ar")
    assert (plain.status_code, plain["X-Cache"], plain["ETag"]) == (200, "hit", first["ETag"])
