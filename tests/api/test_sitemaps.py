"""Sitemaps: the index and one sitemap per language, of the site's public pages."""

from datetime import timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import quote, unquote

import pytest
from django.utils import timezone
from lxml import etree

from articles.models import Article
from articles.services import article_unpublish
from clinic.api.sitemaps import LanguageSitemap
from clinic.published.models import Document
from tests.factories import ArticleFactory, TopicFactory, translate

pytestmark = pytest.mark.django_db

SCHEMA = etree.XMLSchema(
    etree.parse(str(Path(__file__).parent.parent / "fixtures" / "sitemaps" / "sitemaps.xsd"))
)
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
ARTICLE = "https://clinic.example/{lang}/news/{slug}/"
TOPIC = "https://clinic.example/{lang}/topics/{slug}/"


def page(template: str, language: str, slug: str) -> str:
    return template.format(lang=language, slug=quote(slug, safe=""))


@pytest.fixture
def pages(settings):
    settings.PUBLIC_PAGE_URLS = {
        "article": dict.fromkeys(("en", "ar", "uk"), ARTICLE),
        "topic": dict.fromkeys(("en", "ar", "uk"), TOPIC),
    }


@pytest.fixture
def content(pages):
    """Three languages, two, one; a topic in two; a scheduled, a draft and a withdrawn article."""
    topic = translate(TopicFactory(name_en="Multiple sclerosis"), "ar", name="التصلب المتعدد")
    everywhere = ArticleFactory(title_en="Everywhere", topics=[topic])
    translate(everywhere, "ar", title="في كل مكان")
    translate(everywhere, "uk", title="Всюди")
    two = translate(ArticleFactory(title_en="Two languages"), "ar", title="لغتان")
    translate(two, "uk", title="Дві мови", publish=False)  # a draft translation: no page
    ArticleFactory(title_en="English only")
    ArticleFactory(title_en="Scheduled", published_at=timezone.now() + timedelta(days=1))
    ArticleFactory(title_en="Draft", status=Article.Status.DRAFT)
    withdrawn = translate(ArticleFactory(title_en="Withdrawn"), "ar", title="مسحوب")
    article_unpublish(article=withdrawn)


EXPECTED = {
    # page → its published language versions (slugs)
    "article": [
        {"en": "everywhere", "ar": "في-كل-مكان", "uk": "всюди"},
        {"en": "two-languages", "ar": "لغتان"},
        {"en": "english-only"},
    ],
    "topic": [{"en": "multiple-sclerosis", "ar": "التصلب-المتعدد"}],
}


def expected_entries(language: str) -> dict[str, set[tuple[str, str]]]:
    """loc → {(hreflang, href)} of every page in ``language``'s sitemap."""
    entries = {}
    for kind, template in (("article", ARTICLE), ("topic", TOPIC)):
        for versions in EXPECTED[kind]:
            if language not in versions:
                continue
            links = {(code, page(template, code, slug)) for code, slug in versions.items()}
            links.add(("x-default", page(template, "en", versions["en"])))
            entries[page(template, language, versions[language])] = links
    return entries


def parsed(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/xml"
    document = etree.fromstring(response.content)
    assert SCHEMA.validate(document), SCHEMA.error_log
    return document


def entries(document) -> dict[str, set[tuple[str, str]]]:
    return {
        url.findtext("sm:loc", namespaces=NS): {
            (link.get("hreflang"), link.get("href"))
            for link in url.findall("xhtml:link", namespaces=NS)
        }
        for url in document.findall("sm:url", namespaces=NS)
    }


def test_index_validates_and_lists_one_sitemap_per_language(client, content):
    document = parsed(client.get("/sitemap.xml"))
    locations = [loc.text for loc in document.findall("sm:sitemap/sm:loc", namespaces=NS)]
    assert locations == [f"http://testserver/sitemap-{code}.xml" for code in ("en", "ar", "uk")]
    assert len(document.findall("sm:sitemap/sm:lastmod", namespaces=NS)) == 3


@pytest.mark.parametrize("language", ["en", "ar", "uk"])
def test_a_language_sitemap_lists_exactly_its_published_pages_with_every_version(
    client, content, language
):
    document = parsed(client.get(f"/sitemap-{language}.xml"))
    assert entries(document) == expected_entries(language)


def test_lastmod_is_when_the_version_last_changed(client, content):
    document = parsed(client.get("/sitemap-ar.xml"))
    changed = {
        document.slug: document.changed_at.date().isoformat()
        for document in Document.objects.filter(language="ar", visible=True).exclude(slug="")
    }
    for url in document.findall("sm:url", namespaces=NS):
        slug = url.findtext("sm:loc", namespaces=NS).rstrip("/").rsplit("/", 1)[1]
        assert url.findtext("sm:lastmod", namespaces=NS) == changed[unquote(slug)]


def test_scheduled_article_appears_when_its_time_comes(client, content):
    later = timezone.now() + timedelta(days=1, seconds=1)
    scheduled = page(ARTICLE, "en", "scheduled")
    assert scheduled not in entries(parsed(client.get("/sitemap-en.xml")))
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert scheduled in entries(parsed(client.get("/sitemap-en.xml")))


def test_paged_at_the_limit(client, content, monkeypatch):
    monkeypatch.setattr(LanguageSitemap, "limit", 2)
    index = parsed(client.get("/sitemap.xml"))
    locations = [loc.text for loc in index.findall("sm:sitemap/sm:loc", namespaces=NS)]
    # English: three articles and a topic; Arabic: two and a topic; Ukrainian: one.
    assert locations == [
        "http://testserver/sitemap-en.xml",
        "http://testserver/sitemap-en.xml?p=2",
        "http://testserver/sitemap-ar.xml",
        "http://testserver/sitemap-ar.xml?p=2",
        "http://testserver/sitemap-uk.xml",
    ]
    first = entries(parsed(client.get("/sitemap-en.xml")))
    second = entries(parsed(client.get("/sitemap-en.xml", {"p": "2"})))
    assert len(first) == len(second) == 2
    assert {**first, **second} == expected_entries("en")
    assert client.get("/sitemap-en.xml", {"p": "3"}).status_code == 404


def test_a_language_without_pages_has_no_sitemap(client, pages):
    ArticleFactory(title_en="English only")
    assert client.get("/sitemap-ar.xml").status_code == 404
    index = parsed(client.get("/sitemap.xml"))
    assert [loc.text for loc in index.findall("sm:sitemap/sm:loc", namespaces=NS)] == [
        "http://testserver/sitemap-en.xml"
    ]


def test_without_page_templates_there_is_no_sitemap(client):
    ArticleFactory()
    response = client.get("/sitemap.xml")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "no_public_pages"
    assert client.get("/sitemap-en.xml").status_code == 404


def test_nothing_published_yet_is_a_404(client, pages):
    ArticleFactory(status=Article.Status.DRAFT)
    assert client.get("/sitemap.xml").json()["error"]["code"] == "no_public_pages"


@pytest.mark.parametrize("value", ["0", "x", "-1"])
def test_a_bad_page_number_is_a_400(client, content, value):
    response = client.get("/sitemap-en.xml", {"p": value})
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"p": ["Must be a positive integer."]}


def test_unknown_language_is_a_404(client, content):
    assert client.get("/sitemap-fr.xml").status_code == 404


def test_http_caching_like_the_api(client, content, settings):
    response = client.get("/sitemap-en.xml")
    assert response["Cache-Control"] == f"public, max-age={settings.API_CACHE_MAX_AGE}"
    assert response["Last-Modified"]
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    again = client.get("/sitemap-en.xml", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_cached_until_a_page_it_lists_changes(client, content, response_cache):
    assert client.get("/sitemap-ar.xml")["X-Cache"] == "miss"
    assert client.get("/sitemap-ar.xml")["X-Cache"] == "hit"
    two = Article.objects.get(title_en="Two languages")
    article_unpublish(article=two)
    response = client.get("/sitemap-ar.xml")
    assert response["X-Cache"] == "miss"
    assert page(ARTICLE, "ar", "لغتان") not in entries(parsed(response))


def test_a_new_translation_adds_its_alternate_to_every_language(client, content, response_cache):
    assert client.get("/sitemap-en.xml")["X-Cache"] == "miss"
    translate(Article.objects.get(title_en="English only"), "uk", title="Лише англійською")
    links = entries(parsed(client.get("/sitemap-en.xml")))[page(ARTICLE, "en", "english-only")]
    assert ("uk", page(ARTICLE, "uk", "лише-англійською")) in links


def test_index_costs_one_query(client, content, warm, django_assert_max_num_queries):
    warm("en")
    with django_assert_max_num_queries(1):
        parsed(client.get("/sitemap.xml"))


def test_a_sitemap_page_costs_three_queries_whatever_its_size(
    client, pages, warm, django_assert_max_num_queries
):
    for n in range(30):
        translate(ArticleFactory(title_en=f"Report {n}"), "ar", title=f"تقرير {n}")
    warm("en")
    with django_assert_max_num_queries(3):  # the figures, the page, its versions
        assert len(entries(parsed(client.get("/sitemap-ar.xml")))) == 30


def test_an_edge_purges_a_sitemap_when_a_page_it_lists_changes(
    client, content, response_cache, settings, django_capture_on_commit_callbacks
):
    """Sitemaps name the keys of what they list, fresh and from the server cache alike."""
    settings.EDGE_CACHE_PURGE_URLS = ["http://127.0.0.1:6081/"]  # purges are mocked below
    settings.EDGE_CACHE_REPURGE_SECONDS = 0
    fresh = client.get("/sitemap-ar.xml")
    kept = client.get("/sitemap-ar.xml")
    two = Article.objects.get(title_en="Two languages")

    with (
        mock.patch("clinic.published.edge.purge") as purge,
        django_capture_on_commit_callbacks(execute=True),
    ):
        article_unpublish(article=two)

    assert (fresh["X-Cache"], kept["X-Cache"]) == ("miss", "hit")
    assert fresh["xkey"] == kept["xkey"]
    purged = {key for call in purge.call_args_list for key in call.args[0]}
    assert purged & set(fresh["xkey"].split(" "))
