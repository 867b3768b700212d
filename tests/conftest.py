import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from clinic.demo import demo_content_load
from tests.two_factor import force_sign_in


def pytest_configure(config):
    _fast_password_hashing()
    _redis_database_per_worker(config)


def _redis_database_per_worker(config) -> None:
    """Under pytest-xdist each worker gets a Redis database of its own: worker ``gwN`` uses
    the database of ``REDIS_URL`` minus N, so one worker's flush or cached response never
    reaches another's tests (pytest-django already gives each worker its own SQL database).
    Tests that read ``REDIS_URL`` themselves see the worker's URL too."""
    worker = getattr(config, "workerinput", {}).get("workerid")
    url = os.environ.get("REDIS_URL")
    if not worker or not url:
        return
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) - int(worker.removeprefix("gw"))
    if database < 0:
        raise pytest.UsageError(
            f"{url} leaves no Redis database for xdist worker {worker}: use a higher "
            "database number in REDIS_URL or fewer workers (TEST_WORKERS)"
        )
    url = urlunsplit(parts._replace(path=f"/{database}"))
    os.environ["REDIS_URL"] = url
    django_settings.REDIS_URL = url
    if django_settings.CACHES["default"]["BACKEND"] == "clinic.cache.RedisCache":
        django_settings.CACHES["default"]["LOCATION"] = url


def _fast_password_hashing() -> None:
    """Hash test users' passwords with MD5, as Django's testing docs advise ("Speeding up
    the tests"): the production hasher (PBKDF2, a million iterations) costs half a second
    a user; logging in and wrong passwords behave the same. Production keeps its hashers."""
    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _source_language():
    """Each test starts in English: a request in Arabic must not leak into the next test."""
    with translation.override("en"):
        yield


@pytest.fixture
def demo_content(db):
    """The clinic page, loaded as `make run` loads it."""
    demo_content_load()


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's ``admin_client``, with the superuser's second factor given too
    (superusers need two-factor sign-in; ``tests/two_factor.py``)."""
    force_sign_in(client, admin_user)
    return client


@pytest.fixture
def admin_client_ar(admin_client):
    """The admin, with the admin interface itself in Arabic."""
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ar"
    return admin_client


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded images go to this run's temporary folder, never to the project's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """The test client speaks plain HTTP; production redirects it (tested on its own)."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _no_response_cache(request, settings):
    """Tests see the uncached API unless they ask for ``response_cache`` (or ``count_cache``).

    (Entries are checked against the changes in the test's own transaction.)
    """
    if "response_cache" not in request.fixturenames:
        settings.API_RESPONSE_CACHE_SECONDS = 0
        if "count_cache" not in request.fixturenames:
            settings.API_COUNT_CACHE_SECONDS = 0


@pytest.fixture
def response_cache(settings):
    settings.API_RESPONSE_CACHE_SECONDS = 300
    settings.API_COUNT_CACHE_SECONDS = 300


@pytest.fixture
def count_cache(settings):
    """List totals cached until what they count changes; responses are not."""
    settings.API_COUNT_CACHE_SECONDS = 300


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttling history and cached responses live in the cache: start clean."""
    from django.core.cache import cache

    from clinic.api.throttling import AnonRateThrottle
    from clinic.published.freshness import clock

    cache.clear()
    AnonRateThrottle.cache.local.clear()  # counted while a test's Redis was down
    clock.reset()  # each test's database starts from the first change again
    yield
    cache.clear()


@pytest.fixture
def api(client):
    """An anonymous API client: ``api.get_json(url, lang=..., accept_language=..., **params)``."""

    def get_json(
        url,
        *,
        lang: str | None = None,
        accept_language: str | None = None,
        headers: dict | None = None,
        **params,
    ):
        if lang is not None:
            params["lang"] = lang
        headers = dict(headers or {})
        if accept_language is not None:
            headers["Accept-Language"] = accept_language
        return client.get(url, params, headers=headers)

    client.get_json = get_json
    return client


@pytest.fixture
def warm(api, settings):
    """A process that served a request already: what it loads once (the number of the last
    change, the topics and disclaimers) is loaded, and it asks again only after a minute."""
    settings.API_FRESHNESS_SECONDS = 60

    def warm_up(language: str) -> None:
        api.get_json("/api/v1/articles/", lang=language)

    return warm_up
