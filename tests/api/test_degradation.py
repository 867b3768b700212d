"""A dependency's bad minute degrades the API, never breaks it (docs/operations.md, "Faults").

In-process, with a real Redis server of the test's own (stopped, refusing
writes, or replaced by a socket that never answers) and a database whose every
query fails as during an outage. The same faults against a real gunicorn,
PostgreSQL and Redis: tests/faults/.
"""

import contextlib
import shutil
import socket
import threading
import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from articles.models import Article
from bench.faults.services import RedisServer
from clinic.i18n.services import content_save
from tests.two_factor import force_sign_in

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/api/v1/articles/",
    "/api/v1/articles/?q=stem",
    "/api/v1/topics/",
    "/api/v1/contacts/",
    "/api/v1/disclaimers/",
    "/api/v1/languages/",
    "/api/v1/i18n/catalog/",
    "/api/schema/",
]
#: Answered from code and files: served whatever the database does.
WITHOUT_DATABASE = ["/api/v1/i18n/catalog/", "/api/schema/"]


class Silent:
    """A server that accepts connections and never answers (a blackholed Redis)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                self.connections.append(self.listener.accept()[0])

    def close(self) -> None:
        self.listener.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def redis(settings, tmp_path):
    """The cache is a Redis server of the test's own (``redis.stop()``, ``redis.start()``)."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    _use_redis(settings, server.url())
    settings.CACHE_RETRY_SECONDS = 0  # try Redis again at every operation
    yield server
    server.stop()


def _use_redis(settings, url: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "clinic.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }


def _demo_urls(api) -> list[str]:
    """Every public read, with an article detail in each language's own slug."""
    urls = list(PUBLIC)
    for language in ("en", "ar", "uk"):
        article = api.get_json("/api/v1/articles/", lang=language).json()["results"][0]
        urls.append(f"/api/v1/articles/{article['slug']}/?lang={language}")
    return urls


# The cache


def test_with_redis_stopped_every_public_read_is_served(api, demo_content, redis, response_cache):
    urls = _demo_urls(api)
    redis.stop()
    for url in urls:
        for language in ("en", "ar", "uk"):
            response = api.get_json(url, accept_language=language)
            assert response.status_code == 200, (url, language, response.content[:200])
    ready = api.get_json("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "unavailable"},
    }


def test_redis_back_is_used_again_and_serves_what_was_committed_meanwhile(
    api, demo_content, redis, response_cache
):
    url = _demo_urls(api)[-1]
    assert api.get_json(url)["X-Cache"] == "miss"
    assert api.get_json(url)["X-Cache"] == "hit"
    redis.stop()
    article = Article.objects.get(slug_uk=url.split("/")[4])
    article.title_uk = "Змінено, поки кеш не працював"
    content_save(obj=article, changed_fields=["title_uk"])
    redis.start()  # empty: the old entry is gone with it
    assert api.get_json(url).json()["title"] == "Змінено, поки кеш не працював"
    assert api.get_json(url)["X-Cache"] == "hit"
    assert api.get_json("/readyz").json()["status"] == "ok"


def test_an_entry_kept_before_an_outage_is_not_served_after_an_edit_made_during_it(
    api, demo_content, redis, response_cache
):
    """Redis comes back with what it held (it saved it): the edit made meanwhile still shows."""
    url = _demo_urls(api)[-1]
    original = api.get_json(url).json()["title"]
    assert api.get_json(url)["X-Cache"] == "hit"
    redis.stop(keep=True)
    article = Article.objects.get(slug_uk=url.split("/")[4])
    article.title_uk = "Правка під час збою кешу"
    content_save(obj=article, changed_fields=["title_uk"])
    assert api.get_json(url).json()["title"] == "Правка під час збою кешу"
    redis.start()
    assert redis.keys() > 0  # the old entry is back
    response = api.get_json(url)
    assert response.json()["title"] == "Правка під час збою кешу" != original


def test_redis_refusing_writes_is_a_cache_that_keeps_nothing(
    api, demo_content, redis, response_cache
):
    redis.command("CONFIG", "SET", "maxmemory-policy", "noeviction")
    redis.command("CONFIG", "SET", "maxmemory", "1")
    for url in _demo_urls(api):
        assert api.get_json(url).status_code == 200
        assert api.get_json(url).status_code == 200
    assert api.get_json("/readyz").json()["status"] == "degraded"


def test_a_silent_redis_is_given_one_timeout_then_left_alone(api, demo_content, settings):
    """Blackholed: each operation would wait the timeout; after one, the process skips Redis."""
    silent = Silent()
    try:
        _use_redis(settings, silent.url)
        settings.CACHE_RETRY_SECONDS = 60
        for url in PUBLIC:
            assert api.get_json(url).status_code == 200
        assert len(silent.connections) == 1
    finally:
        silent.close()


def test_without_the_breaker_a_silent_redis_is_tried_at_every_operation(
    api, demo_content, settings
):
    """(What the test above would see if failures were not remembered.)"""
    silent = Silent()
    try:
        _use_redis(settings, silent.url)
        settings.CACHE_RETRY_SECONDS = 0
        assert api.get_json(PUBLIC[0]).status_code == 200
        assert len(silent.connections) > 1
    finally:
        silent.close()


def test_throttling_counts_per_process_while_redis_is_down(api, demo_content, redis, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    redis.stop()
    statuses = [api.get_json("/api/v1/contacts/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


# The database


@pytest.fixture(autouse=True)
def _ask_the_database_at_every_request(settings):
    """Each request looks for changes (by default a process asks at most every second, and
    serves what its cache holds in between without the database: as fresh as ever)."""
    settings.API_FRESHNESS_SECONDS = 0


@contextlib.contextmanager
def database_down():
    """Every query fails as it does while PostgreSQL restarts."""
    error = OperationalError("the database system is shutting down")
    with (
        mock.patch("django.db.backends.utils.CursorWrapper._execute", side_effect=error),
        mock.patch("django.db.backends.utils.CursorWrapper._executemany", side_effect=error),
    ):
        yield


def test_a_cached_response_is_served_stale_while_the_database_is_down(
    api, demo_content, response_cache
):
    urls = [url for url in _demo_urls(api) if url not in WITHOUT_DATABASE]
    kept = {url: api.get_json(url) for url in urls}
    with database_down():
        for url in urls:
            response = api.get_json(url)
            assert response.status_code == 200, url
            assert response.content == kept[url].content
            assert response["X-Cache"] == "stale"
            assert response["Warning"] == '110 - "Response is Stale"'
            assert response["Cache-Control"] == "no-store"
            assert int(response["Age"]) >= 0


def test_what_needs_no_database_is_served_fresh_with_the_cache_on(
    api, demo_content, response_cache
):
    for url in WITHOUT_DATABASE:
        api.get_json(url, lang="uk")
    with database_down():
        for url in WITHOUT_DATABASE:
            for language in ("en", "ar", "uk"):
                response = api.get_json(url, lang=language)
                assert response.status_code == 200, (url, language)
                assert response.get("X-Cache") in (None, "miss"), (url, language)


def test_what_the_cache_does_not_hold_is_503_with_retry_after(api, demo_content, settings):
    settings.API_RETRY_AFTER_SECONDS = 7
    urls = [url for url in _demo_urls(api) if url not in WITHOUT_DATABASE]
    with database_down():
        for url in WITHOUT_DATABASE:
            assert api.get_json(url, lang="ar").status_code == 200, url
        for url in urls:
            response = api.get_json(url, lang="ar")
            assert response.status_code == 503, url
            assert response["Retry-After"] == "7"
            assert response["Cache-Control"] == "no-store"
            error = response.json()["error"]
            assert error["code"] == "unavailable"
            assert error["details"] == {"retry_after": 7}
            assert "7" in error["message"]
        ready = api.get_json("/readyz")
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"


def test_a_response_this_process_knows_changed_is_not_served_stale(
    api, demo_content, response_cache
):
    url = _demo_urls(api)[-1]
    api.get_json(url)
    article = Article.objects.get(slug_uk=url.split("/")[4])
    article.title_uk = "Новий заголовок"
    content_save(obj=article, changed_fields=["title_uk"])
    api.get_json("/api/v1/contacts/")  # the process learns of the change
    with database_down():
        assert api.get_json(url).status_code == 503


def test_stale_responses_are_bounded_by_the_setting(api, demo_content, settings, response_cache):
    url = "/api/v1/contacts/"
    api.get_json(url)
    settings.API_STALE_IF_ERROR_SECONDS = 60
    with database_down(), mock.patch("time.time", return_value=time.time() + 61):
        assert api.get_json(url).status_code == 503
    settings.API_STALE_IF_ERROR_SECONDS = 0
    with database_down():
        assert api.get_json(url).status_code == 503


def test_the_api_serves_fresh_again_when_the_database_is_back(api, demo_content, response_cache):
    url = "/api/v1/contacts/"
    api.get_json(url)
    with database_down():
        assert api.get_json(url)["X-Cache"] == "stale"
    back = api.get_json(url)
    assert back.status_code == 200
    assert back["X-Cache"] in ("hit", "miss")
    assert "Warning" not in back


def test_the_admin_says_the_database_is_unavailable(admin_user, settings):
    settings.API_RETRY_AFTER_SECONDS = 30
    client = Client(raise_request_exception=False, headers={"Accept-Language": "uk"})
    force_sign_in(client, admin_user)
    with database_down():
        response = client.get("/admin/articles/article/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert 'lang="uk"' in page
    assert "Сайт ненадовго недоступний" in page
    assert "Спробуйте ще раз через 30 секунд." in page
    assert "Traceback" not in page


def test_other_server_errors_stay_500(api, demo_content):
    """Only an unavailable database is a 503: a bug is not hidden behind 'try again'."""
    client = Client(raise_request_exception=False)
    with mock.patch("clinic.api.published.unpaginated", side_effect=ValueError("a bug")):
        response = client.get("/api/v1/contacts/")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
