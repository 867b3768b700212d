"""PostgreSQL full-text search: GIN-indexed per-language documents kept in step with content."""

import io
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, models

from articles.models import Article, SearchDocument
from articles.search import search_documents_deferred
from clinic.i18n.services import content_save
from tests.factories import ArticleFactory, TopicFactory, translate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search"),
]


def test_documents_follow_edits_and_publishing(api):
    article = ArticleFactory(title_en="Neural progenitors", summary_en="", body_en="")
    assert SearchDocument.objects.filter(article=article).count() == 3
    assert api.get_json("/api/v1/articles/", lang="ar", q="progenitors").json()["count"] == 1
    translate(article, "ar", publish=False, title="الخلايا السلفية العصبية")
    assert api.get_json("/api/v1/articles/", lang="ar", q="السلفية").json()["count"] == 0
    translate(article, "ar", title="الخلايا السلفية العصبية")
    assert api.get_json("/api/v1/articles/", lang="ar", q="السلفية").json()["count"] == 1
    article.title_en = "Mesenchymal cells"
    article.save()
    assert api.get_json("/api/v1/articles/", lang="en", q="mesenchymal").json()["count"] == 1
    assert api.get_json("/api/v1/articles/", lang="en", q="progenitors").json()["count"] == 0


def test_english_search_is_stemmed(api):
    ArticleFactory(title_en="Patients improved", summary_en="", body_en="")
    assert (
        api.get_json("/api/v1/articles/", lang="en", q="improvement patient").json()["count"] == 1
    )


def test_title_and_summary_matches_rank_first_then_the_newest(api):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    body = "<p>Results for multiple sclerosis.</p>"
    in_title = ArticleFactory(
        title_en="Sclerosis trial", body_en=body, published_at=now - timedelta(3)
    )
    older = ArticleFactory(title_en="Older report", body_en=body, published_at=now - timedelta(2))
    newer = ArticleFactory(title_en="Newer report", body_en=body, published_at=now - timedelta(1))

    def found() -> list[str]:
        results = api.get_json("/api/v1/articles/", lang="en", q="sclerosis").json()["results"]
        return [item["title"] for item in results]

    assert found() == [in_title.title_en, newer.title_en, older.title_en]
    older.published_at = now  # the copy of the date in the documents follows the article
    older.save()
    assert found() == [in_title.title_en, older.title_en, newer.title_en]


def test_pages_of_a_plain_search_equal_those_of_the_same_search_filtered(api):
    """A plain search finds its pages among the best matching documents only (first_results).

    The same search with a filter that keeps everything takes the general way:
    every page must be the same, and unpublished matches never take a place.
    """
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    for n in range(25):
        title = f"Sclerosis report {n}" if n % 4 == 0 else f"Report {n}"
        ArticleFactory(
            title_en=title,
            body_en="<p>Multiple sclerosis.</p>",
            published_at=now - timedelta(hours=n),
        )
    ArticleFactory(title_en="Sclerosis draft", status=Article.Status.DRAFT)
    ArticleFactory(title_en="Sclerosis scheduled", published_at=now + timedelta(days=1))

    def titles(**extra) -> tuple[int, list[str]]:
        pages, count = [], None
        for page in (1, 2, 3):
            data = api.get_json(
                "/api/v1/articles/",
                lang="en",
                q="sclerosis",
                page_size="10",
                page=str(page),
                **extra,
            ).json()
            count = data["count"]
            pages += [item["title"] for item in data["results"]]
        return count, pages

    plain = titles()
    assert plain == titles(published_after="2000-01-01")
    assert plain[0] == 25 and len(plain[1]) == 25
    assert plain[1][:7] == [f"Sclerosis report {n}" for n in range(0, 25, 4)]
    assert not any("draft" in title or "scheduled" in title for title in plain[1])


def _ranked_search(text: str):
    """The queryset of ``?q=<text>`` alone, as the article filter builds it."""
    return (
        Article.objects.published()
        .search("en", text)
        .order_by("-search_rank", "-search_published_at", "-id")
        .ranked_search_only("en", text)
    )


def _selects_among_best_documents(queryset) -> bool:
    """Whether a page of ``queryset`` is chosen among the best search documents alone."""
    return 'FROM "articles_searchdocument"' in str(queryset[0:10].query)


def test_a_ranked_search_keeps_its_page_selection_across_copies():
    from articles.querysets import ArticleQuerySet

    ArticleFactory(title_en="Sclerosis trial")
    search = _ranked_search("sclerosis")
    assert _selects_among_best_documents(search)
    copies = [
        search._clone(),
        search.all(),
        search.filter(),  # filters nothing
        search.in_language("ar"),
        search.select_related(),
        search.annotate(year=models.F("published_at__year")),
    ]
    for copy in copies:
        assert isinstance(copy, ArticleQuerySet)
        assert _selects_among_best_documents(copy)


def test_a_ranked_search_filtered_or_ordered_again_takes_the_general_way():
    ArticleFactory(title_en="Sclerosis trial")
    search = _ranked_search("sclerosis")
    assert not _selects_among_best_documents(search.filter(published_at__year=2016))
    assert not _selects_among_best_documents(search.exclude(pk=0))
    assert not _selects_among_best_documents(search.order_by("id"))
    assert not _selects_among_best_documents(search.reverse())
    assert not _selects_among_best_documents(Article.objects.published().search("en", "x"))


def test_the_api_chooses_a_page_of_a_plain_search_among_the_best_documents(api):
    from django.test.utils import CaptureQueriesContext

    ArticleFactory(title_en="Sclerosis trial")
    with CaptureQueriesContext(connection) as plain:
        api.get_json("/api/v1/articles/", lang="en", q="sclerosis")
    with CaptureQueriesContext(connection) as filtered:
        api.get_json("/api/v1/articles/", lang="en", q="sclerosis", published_after="2000-01-01")
    assert any('FROM "articles_searchdocument"' in query["sql"] for query in plain)
    assert not any('FROM "articles_searchdocument"' in query["sql"] for query in filtered)


def test_a_page_of_a_ranked_search_narrowed_afterwards_is_complete():
    """The best matches overall are not the best of a topic: the page must not come from them."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    topic = TopicFactory(name_en="Rare", slug_en="rare")
    for n in range(12):
        ArticleFactory(
            title_en=f"Sclerosis report {n}",
            published_at=now - timedelta(hours=n),
            topics=[topic] if n >= 9 else [],
        )
    narrowed = _ranked_search("sclerosis").with_topic("rare")
    assert [article.title_en for article in narrowed[0:3]] == [
        f"Sclerosis report {n}" for n in (9, 10, 11)
    ]


def test_reindex_rebuilds_every_document():
    Article.objects.bulk_create(
        [Article(title_en=f"Bulk {n}", slug_en=f"bulk-{n}") for n in range(3)]
    )
    assert SearchDocument.objects.count() == 0
    call_command("search_reindex", stdout=io.StringIO())
    assert SearchDocument.objects.count() == 9


def test_the_documents_have_a_gin_index_for_the_search_operator():
    from django.contrib.postgres.search import SearchQuery

    ArticleFactory(title_en="Neural progenitors")
    documents = SearchDocument.objects.filter(vector=SearchQuery("progenitors", config="english"))
    sql, params = documents.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "articles_searchdocument_vector_gin" in plan, plan


def _import(path) -> None:
    call_command("import_translations", str(path), stdout=io.StringIO())


def _export_with_summary(tmp_path, article: Article, summary: str) -> Path:
    path = tmp_path / "ar.po"
    call_command("export_translations", "ar", "-o", str(path), stderr=io.StringIO())
    po = polib.pofile(str(path))
    po.find(f"articles.article:{article.pk}:summary", by="msgctxt").msgstr = summary
    po.save(str(path))
    return path


def _documents() -> list[tuple[int, str, str]]:
    rows = SearchDocument.objects.order_by("article_id", "language")
    return [(row.article_id, row.language, str(row.vector)) for row in rows]


@pytest.fixture
def translated_article():
    article = ArticleFactory(title_en="Neural progenitors", summary_en="Safe in 20 patients.")
    return translate(article, "ar", title="الخلايا السلفية العصبية", summary="آمنة لدى 20 مريضًا.")


def test_an_imported_translation_is_found_by_search(api, tmp_path, translated_article):
    _import(_export_with_summary(tmp_path, translated_article, "الميزانشيمية آمنة لدى 20 مريضًا."))
    found = api.get_json("/api/v1/articles/", lang="ar", q="الميزانشيمية").json()
    assert [item["title"] for item in found["results"]] == ["الخلايا السلفية العصبية"]


def test_a_refused_import_leaves_the_documents_unchanged(api, tmp_path, translated_article):
    path = _export_with_summary(tmp_path, translated_article, "الميزانشيمية آمنة لدى 21 مريضًا.")
    before = _documents()
    with pytest.raises(CommandError, match="number not in the source: 21"):
        _import(path)
    assert _documents() == before
    assert api.get_json("/api/v1/articles/", lang="ar", q="الميزانشيمية").json()["count"] == 0


def test_an_import_failing_while_writing_leaves_the_documents_unchanged(
    api, tmp_path, monkeypatch, translated_article
):
    other = translate(ArticleFactory(title_en="Trial report"), "ar", title="تقرير تجربة")
    path = _export_with_summary(tmp_path, translated_article, "الميزانشيمية آمنة لدى 20 مريضًا.")
    po = polib.pofile(str(path))
    po.find(f"articles.article:{other.pk}:title", by="msgctxt").msgstr = "تقرير تجربة جديد"
    po.save(str(path))
    calls = []

    def fail_on_the_second_object(**kwargs):
        calls.append(kwargs["obj"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return content_save(**kwargs)

    monkeypatch.setattr("clinic.i18n.exchange.importing.content_save", fail_on_the_second_object)
    before = _documents()
    with pytest.raises(RuntimeError, match="disk full"):
        _import(path)
    assert len(calls) == 2
    assert _documents() == before
    assert api.get_json("/api/v1/articles/", lang="ar", q="الميزانشيمية").json()["count"] == 0


def test_deferred_documents_are_refreshed_once_when_the_block_ends(api):
    article = ArticleFactory(title_en="Neural progenitors", summary_en="", body_en="")
    with search_documents_deferred():
        article.title_en = "Mesenchymal cells"
        article.save()
        with search_documents_deferred():
            article.save()
        assert api.get_json("/api/v1/articles/", lang="en", q="mesenchymal").json()["count"] == 0
    assert api.get_json("/api/v1/articles/", lang="en", q="mesenchymal").json()["count"] == 1
    assert api.get_json("/api/v1/articles/", lang="en", q="progenitors").json()["count"] == 0


def test_deferred_documents_are_not_refreshed_when_the_block_raises():
    article = ArticleFactory(title_en="Neural progenitors", summary_en="", body_en="")
    before = _documents()
    with pytest.raises(RuntimeError), search_documents_deferred():
        article.title_en = "Mesenchymal cells"
        article.save()
        raise RuntimeError
    assert _documents() == before
