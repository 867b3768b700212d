"""PostgreSQL full-text search: GIN-indexed per-language documents kept in step with content."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article, SearchDocument
from tests.factories import ArticleFactory, translate

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
