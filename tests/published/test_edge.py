"""Edge caches: surrogate keys on public responses, purges after commit, the edges' requests.

The edges' APIs are replaced by a test double of the HTTP session that records
each request (method, URL, headers, JSON body, timeout) and answers as the
edge would; tests/edge/ runs a real Varnish in front of a live app.
"""

import logging
from dataclasses import dataclass, field

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import transaction

from articles.services import article_unpublish
from clinic.published import edge
from clinic.published.freshness import EVERYTHING
from clinic.published.models import Document
from clinic.published.store import slug_tag
from tests.factories import ArticleFactory

LIST = "/api/v1/articles/"
VARNISH = "http://varnish.internal:6081/"


@dataclass
class Sent:
    method: str
    url: str
    headers: dict
    json: dict | None
    timeout: float


class Answer:
    def __init__(self, status_code: int = 200, body: dict | None = None) -> None:
        self.status_code = status_code
        self._body = {"success": True} if body is None else body
        self.text = str(self._body)

    def json(self) -> dict:
        return self._body


@dataclass
class EdgeDouble:
    """Stands for every edge's HTTP API: records requests, answers ``answer`` or raises ``fail``."""

    sent: list[Sent] = field(default_factory=list)
    answer: Answer = field(default_factory=Answer)
    fail: Exception | None = None

    def request(self, method, url, *, timeout, headers=None, json=None):
        self.sent.append(Sent(method, url, dict(headers or {}), json, timeout))
        if self.fail is not None:
            raise self.fail
        return self.answer

    def purged_keys(self) -> list[str]:
        return [key for sent in self.sent for key in sent.headers["xkey-purge"].split()]


@pytest.fixture
def double(monkeypatch) -> EdgeDouble:
    fake = EdgeDouble()
    monkeypatch.setattr(edge.requests, "Session", lambda: fake)
    edge._edges.cache_clear()
    yield fake
    edge._edges.cache_clear()


@pytest.fixture
def varnish(settings, double) -> EdgeDouble:
    """One Varnish configured; purges are made once (re-purges: their own test)."""
    settings.EDGE_CACHE_PURGE_URLS = [VARNISH]
    settings.EDGE_CACHE_REPURGE_SECONDS = 0
    return double


def keys_of(response) -> list[str]:
    return response["xkey"].split(" ")


# Keys on responses


@pytest.mark.django_db
def test_an_article_detail_names_the_article_its_slug_and_what_is_joined_into_it(api, demo_content):
    article = ArticleFactory(title_en="Keyed trial")

    response = api.get_json(f"{LIST}{article.slug_en}/", lang="ar")

    assert response.status_code == 200
    assert keys_of(response) == [
        f"article:{article.pk}:ar",
        slug_tag("article", article.slug_en),
        "disclaimer:ar",
        "all",
    ]


@pytest.mark.django_db
def test_a_list_names_every_article_on_its_page_and_its_membership(api):
    shown = [ArticleFactory(title_en=f"Listed {n}") for n in range(3)]

    keys = keys_of(api.get_json(LIST, lang="uk", page_size="2"))

    assert keys[0] == "article:set"
    assert {key for key in keys if key.startswith("article:") and key.count(":") == 2} == {
        f"article:{article.pk}:uk" for article in shown[1:]
    }
    assert keys[-1] == "all"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/api/v1/contacts/", "contact:ar"),
        ("/api/v1/disclaimers/", "disclaimer:ar"),
        ("/api/v1/topics/", "topic:ar"),
        ("/api/v1/languages/", "completeness"),
        ("/api/v1/i18n/catalog/", "catalog"),
    ],
)
def test_every_public_read_names_its_keys(api, demo_content, path, key):
    assert keys_of(api.get_json(path, lang="ar")) == [key, "all"]


@pytest.mark.django_db
def test_a_response_served_from_the_server_cache_names_the_same_keys(api, response_cache):
    article = ArticleFactory()
    first = api.get_json(f"{LIST}{article.slug_en}/")

    second = api.get_json(f"{LIST}{article.slug_en}/")

    assert second["X-Cache"] == "hit"
    assert second["xkey"] == first["xkey"]


@pytest.mark.django_db
def test_keys_cost_no_query(api, django_assert_num_queries):
    article = ArticleFactory()
    api.get_json(f"{LIST}{article.slug_en}/")  # the process loads the topics and disclaimers

    with django_assert_num_queries(2):
        response = api.get_json(f"{LIST}{article.slug_en}/")

    assert f"article:{article.pk}:en" in keys_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "value"),
    [("Surrogate-Key", "topic:en all"), ("Cache-Tag", "topic:en,all")],
)
def test_the_key_header_is_the_configured_one(api, settings, header, value):
    settings.EDGE_CACHE_KEY_HEADER = header

    response = api.get_json("/api/v1/topics/")

    assert response[header] == value
    assert "xkey" not in response


@pytest.mark.django_db
def test_no_key_header_when_it_is_turned_off(api, settings):
    settings.EDGE_CACHE_KEY_HEADER = ""

    assert "xkey" not in api.get_json("/api/v1/topics/")


@pytest.mark.django_db
def test_errors_carry_no_keys(api):
    response = api.get_json(f"{LIST}no-such-article/")

    assert response.status_code == 404
    assert "xkey" not in response


@pytest.mark.django_db
def test_edges_may_keep_responses_longer_than_browsers(api, settings):
    settings.EDGE_CACHE_MAX_AGE = 86400

    response = api.get_json("/api/v1/topics/")

    assert set(response["Cache-Control"].split(", ")) == {
        "public",
        f"max-age={settings.API_CACHE_MAX_AGE}",
        "s-maxage=86400",
    }


@pytest.mark.django_db
def test_edges_keep_no_response_past_a_scheduled_article_going_live(api, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.EDGE_CACHE_MAX_AGE = 86400
    ArticleFactory(published_at=timezone.now() + timedelta(minutes=10))

    response = api.get_json(LIST)

    s_maxage = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 < s_maxage <= 600


# Purges


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_purges_exactly_the_keys_it_moved(varnish):
    other = ArticleFactory(title_en="Untouched")
    article = ArticleFactory(title_en="Withdrawn")
    varnish.sent.clear()

    article_unpublish(article=article)

    purged = varnish.purged_keys()
    assert varnish.sent[0].method == "PURGE"
    assert varnish.sent[0].url == VARNISH
    assert {f"article:{article.pk}:{code}" for code in ("en", "ar", "uk")} <= set(purged)
    assert "article:set" in purged
    assert slug_tag("article", article.slug_en) in purged
    assert not [key for key in purged if key.startswith(f"article:{other.pk}:")]
    assert "all" not in purged


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_purges_nothing(varnish):
    article = ArticleFactory()
    varnish.sent.clear()

    with pytest.raises(RuntimeError), transaction.atomic():
        article_unpublish(article=article)
        assert Document.objects.filter(object_id=article.pk, visible=False).exists()
        raise RuntimeError("the editor's request failed")

    assert varnish.sent == []


@pytest.mark.django_db
def test_nothing_is_purged_before_the_commit(varnish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ArticleFactory()

    assert callbacks
    assert varnish.sent == []


@pytest.mark.django_db(transaction=True)
def test_a_failed_purge_is_logged_and_the_change_stays_saved(varnish, caplog):
    article = ArticleFactory()
    varnish.fail = requests.ConnectTimeout("timed out")

    with caplog.at_level(logging.WARNING, logger="clinic.published.edge"):
        article_unpublish(article=article)

    assert Document.objects.filter(object_id=article.pk, visible=False).count() == 3
    assert "Edge purge of" in caplog.text and "timed out" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_purges_wait_at_most_the_configured_timeout(varnish, settings):
    settings.EDGE_CACHE_PURGE_TIMEOUT = 0.5

    ArticleFactory()

    assert varnish.sent and {sent.timeout for sent in varnish.sent} == {0.5}


@pytest.mark.django_db(transaction=True)
def test_the_same_keys_are_purged_again_after_the_repurge_delay(varnish, settings, monkeypatch):
    settings.EDGE_CACHE_REPURGE_SECONDS = 2
    scheduled = []
    monkeypatch.setattr(edge, "later", lambda seconds, action: scheduled.append((seconds, action)))
    ArticleFactory()
    first = varnish.purged_keys()
    varnish.sent.clear()

    [(seconds, repurge)] = scheduled
    repurge()

    assert seconds == 2
    assert varnish.purged_keys() == first


def test_a_change_of_everything_purges_everything(varnish):
    edge.purge(edge.keys_of_change(["article:1:en", EVERYTHING]))

    assert varnish.purged_keys() == ["all"]


def test_too_many_keys_purge_everything(varnish):
    edge.purge([f"article:{n}:en" for n in range(edge.MAX_KEYS + 1)])

    assert varnish.purged_keys() == ["all"]


# Each edge's requests


def test_varnish_purges_by_xkey_in_requests_of_at_most_100_keys(settings, double):
    keys = [f"article:{n}:en" for n in range(250)]

    edge.Varnish(VARNISH).purge(keys)

    assert [(sent.method, sent.url) for sent in double.sent] == [("PURGE", VARNISH)] * 3
    assert double.purged_keys() == keys


def test_fastly_purges_surrogate_keys_of_its_service(settings, double):
    settings.EDGE_CACHE_PURGE_URLS = ["fastly://fastly-token@SU1Z0isxPaozGVKXdv0eY"]
    keys = [f"article:{n}:ar" for n in range(300)]

    edge.purge(keys)

    assert [sent.url for sent in double.sent] == [
        "https://api.fastly.com/service/SU1Z0isxPaozGVKXdv0eY/purge"
    ] * 2
    assert {sent.method for sent in double.sent} == {"POST"}
    assert double.sent[0].headers["Fastly-Key"] == "fastly-token"
    assert double.sent[0].json == {"surrogate_keys": keys[:256]}
    assert double.sent[1].json == {"surrogate_keys": keys[256:]}


def test_fastly_purges_everything_with_purge_all(settings, double):
    settings.EDGE_CACHE_PURGE_URLS = ["fastly://fastly-token@SU1Z0isxPaozGVKXdv0eY"]

    edge.purge(None)

    [sent] = double.sent
    assert (sent.method, sent.url) == (
        "POST",
        "https://api.fastly.com/service/SU1Z0isxPaozGVKXdv0eY/purge_all",
    )
    assert sent.headers["Fastly-Key"] == "fastly-token"


def test_cloudflare_purges_cache_tags_of_its_zone_30_at_a_time(settings, double):
    zone = "023e105f4ecef8ad9ca31a8372d0c353"
    settings.EDGE_CACHE_PURGE_URLS = [f"cloudflare://cf%2Ftoken@{zone}"]
    keys = [f"topic:{n}:uk" for n in range(40)]

    edge.purge(keys)

    url = f"https://api.cloudflare.com/client/v4/zones/{zone}/purge_cache"
    assert [(sent.method, sent.url) for sent in double.sent] == [("POST", url)] * 2
    assert double.sent[0].headers["Authorization"] == "Bearer cf/token"
    assert double.sent[0].json == {"tags": keys[:30]}
    assert double.sent[1].json == {"tags": keys[30:]}


def test_cloudflare_purges_everything(settings, double):
    settings.EDGE_CACHE_PURGE_URLS = ["cloudflare://token@023e105f4ecef8ad9ca31a8372d0c353"]

    edge.purge(None)

    assert double.sent[0].json == {"purge_everything": True}


def test_an_edge_that_refuses_is_reported(settings, double):
    settings.EDGE_CACHE_PURGE_URLS = ["cloudflare://token@zone", VARNISH]
    double.answer = Answer(200, {"success": False, "errors": [{"code": 1134}]})

    outcomes = edge.purge(["topic:en"])

    assert outcomes[0].edge == "Cloudflare zone zone" and "1134" in outcomes[0].error
    assert outcomes[1].edge == f"Varnish {VARNISH}"


def test_a_varnish_answering_an_error_is_reported(varnish):
    varnish.answer = Answer(403)

    [outcome] = edge.purge(["topic:en"])

    assert "HTTP 403" in outcome.error


@pytest.mark.parametrize(
    "url", ["ftp://varnish/", "fastly://SERVICE", "cloudflare://@zone", "varnish"]
)
def test_a_malformed_purge_url_is_refused_with_the_accepted_forms(url):
    with pytest.raises(ImproperlyConfigured, match="fastly://TOKEN@SERVICE_ID"):
        edge.edge_from_url(url)


def test_a_refused_purge_url_does_not_show_its_token():
    with pytest.raises(ImproperlyConfigured) as refused:
        edge.edge_from_url("fastly://secret-token@")

    assert "secret-token" not in str(refused.value)


# The command


def test_edge_purge_purges_the_keys_given(varnish, capsys):
    call_command("edge_purge", "catalog", "article:3:ar")

    assert varnish.purged_keys() == ["catalog", "article:3:ar"]
    assert f"Varnish {VARNISH}: purged." in capsys.readouterr().out


def test_edge_purge_all_purges_everything(varnish):
    call_command("edge_purge", "--all")

    assert varnish.purged_keys() == ["all"]


def test_edge_purge_needs_keys_or_all(varnish):
    with pytest.raises(CommandError, match="--all"):
        call_command("edge_purge")


def test_edge_purge_without_an_edge_says_what_to_set(settings):
    settings.EDGE_CACHE_PURGE_URLS = []

    with pytest.raises(CommandError, match="EDGE_CACHE_PURGE_URLS"):
        call_command("edge_purge", "--all")


def test_edge_purge_fails_when_an_edge_could_not_be_purged(varnish):
    varnish.fail = requests.ConnectionError("connection refused")

    with pytest.raises(CommandError, match="1 of 1 edge cache could not be purged"):
        call_command("edge_purge", "catalog")
