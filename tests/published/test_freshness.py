"""Per-object invalidation: an edit drops the cached responses that show it, and only those."""

from unittest import mock

import pytest
from django.core.cache import cache

from articles.models import Article
from clinic.i18n.services import content_save
from clinic.published.freshness import clock
from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def detail(article: Article) -> str:
    return f"{LIST}{article.slug_en}/"


def edit_title(article: Article, title: str) -> None:
    article = Article.objects.get(pk=article.pk)
    article.title_en = title
    content_save(obj=article, changed_fields=["title_en"])


def test_an_edit_of_one_article_keeps_the_other_articles_cached(api, response_cache):
    first, second = ArticleFactory(title_en="First"), ArticleFactory(title_en="Second")
    for article in (first, second):
        api.get_json(detail(article), lang="ar")
    edit_title(first, "First, edited")
    edited = api.get_json(detail(first), lang="ar")
    assert edited["X-Cache"] == "miss"
    assert edited.json()["title"] == "First, edited"
    assert api.get_json(detail(second), lang="ar")["X-Cache"] == "hit"


def test_an_edit_drops_the_lists_that_show_the_article(api, response_cache):
    article = ArticleFactory(title_en="Listed")
    api.get_json(LIST)
    edit_title(article, "Listed, edited")
    listed = api.get_json(LIST)
    assert listed["X-Cache"] == "miss"
    assert listed.json()["results"][0]["title"] == "Listed, edited"


def test_a_new_article_enters_the_cached_lists(api, response_cache):
    ArticleFactory()
    assert api.get_json(LIST).json()["count"] == 1
    ArticleFactory()
    assert api.get_json(LIST).json()["count"] == 2


def test_a_topic_rename_reaches_the_cached_details_of_its_articles(api, response_cache):
    topic = TopicFactory(name_en="Old name")
    article = ArticleFactory(topics=[topic])
    other = ArticleFactory()
    api.get_json(detail(article))
    api.get_json(detail(other))
    topic.name_en = "New name"
    content_save(obj=topic, changed_fields=["name_en"])
    assert api.get_json(detail(article)).json()["topics"][0]["name"] == "New name"
    assert api.get_json(detail(other))["X-Cache"] == "hit"


def test_a_change_by_another_process_is_served_within_the_bound_with_cache_writes_lost(
    api, response_cache, settings
):
    """The database decides what is current: no cache write is needed to drop an entry.

    Another process edits (this process is not told), and every cache write of
    that moment is lost; within API_FRESHNESS_SECONDS this process may still
    serve the entry, after it never does.
    """
    article = ArticleFactory(title_en="Before")
    api.get_json(detail(article))
    now = [1000.0]
    with (
        mock.patch("clinic.published.freshness.time.monotonic", side_effect=lambda: now[0]),
        mock.patch.object(clock, "expect_change"),  # the change is another process's
        mock.patch.object(cache, "set"),  # every cache write is lost
        mock.patch.object(cache, "delete"),
    ):
        clock.checked = now[0]
        edit_title(article, "After")
        stale = api.get_json(detail(article))
        now[0] += settings.API_FRESHNESS_SECONDS + 0.01
        fresh = api.get_json(detail(article))
    assert stale["X-Cache"] == "hit"  # within the bound (1 s by default)
    assert fresh["X-Cache"] == "miss"
    assert fresh.json()["title"] == "After"


def test_detail_costs_at_most_two_queries(api, warm, django_assert_max_num_queries):
    article = ArticleFactory(topics=[TopicFactory(), TopicFactory()])
    warm("uk")
    with django_assert_max_num_queries(2):
        assert api.get_json(detail(article), lang="uk").status_code == 200


@pytest.mark.parametrize("params", [{}, {"topic": "stem-cells"}, {"ordering": "title"}])
def test_a_list_page_costs_two_queries_and_the_cached_count(
    api, count_cache, warm, django_assert_max_num_queries, params
):
    topic = TopicFactory(name_en="Stem cells")
    for _ in range(25):
        ArticleFactory(topics=[topic])
    api.get_json(LIST, lang="ar", **params)  # counts once
    with django_assert_max_num_queries(2):  # (the topic's id, and the page)
        response = api.get_json(LIST, lang="ar", page="2", **params)
    assert response.json()["count"] == 25
