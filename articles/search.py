"""PostgreSQL full-text search documents: one per article and language, GIN-indexed.

A document holds the article's title (weight A), summary (B) and body (C) as
served in that language, with the same fallback as the API (the published
translation, else English), in the language's text-search configuration. They
are refreshed inside the transaction that changes an article or its translation
state (signals below), so a search never sees other text than the API serves
(writes of many articles, like a PO import, refresh theirs once at the end of the
transaction with ``search_documents_deferred``);
``manage.py search_reindex`` rebuilds them all (after bulk loads or adding a
language). Results are ranked by their title and summary lexemes only (a
copy kept beside the document, small enough to be read for thousands of
matches), then by date (the article's ``published_at`` while it is published,
empty otherwise, copied too, so that thousands of matches are filtered and
sorted without reading their articles: see ``first_results``). On other
databases nothing is stored: search falls back to a substring match.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.db import connection, models
from django.db.models import Value

from articles.models import Article, SearchDocument
from articles.querysets import localized_name
from clinic.i18n.languages import language_codes, search_config

WEIGHTS = {"title": "A", "summary": "B", "body": "C"}
# Ranking reads the title and summary only (SearchDocument.rank_vector).
RANK_WEIGHTS = "{a,b}"

# The ids of articles saved inside search_documents_deferred(), or None outside it.
_deferred: ContextVar[set[int] | None] = ContextVar("search_documents_deferred", default=None)


def _document_vector(language: str) -> SearchVector:
    config = search_config(language)
    vectors = [
        SearchVector(localized_name(field), weight=weight, config=config)
        for field, weight in WEIGHTS.items()
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def public_from() -> models.Case:
    """SQL: when the article became or becomes public; NULL while it is not published."""
    return models.Case(
        models.When(status=Article.Status.PUBLISHED, then=models.F("published_at")),
        default=None,
        output_field=models.DateTimeField(),
    )


def search_documents_refresh(article_ids: Iterable[int] | None = None) -> None:
    """Rebuild the documents of ``article_ids`` (all articles when ``None``), every language."""
    if connection.vendor != "postgresql":
        return
    articles = Article.objects.order_by()
    if article_ids is not None:
        articles = articles.filter(pk__in=list(article_ids))
    table = SearchDocument._meta.db_table
    for language in language_codes():
        rows = (
            articles.localized(language, *WEIGHTS)
            .annotate(
                document_language=Value(language, output_field=models.CharField()),
                document_vector=_document_vector(language),
            )
            .annotate(document_public_from=public_from())
            .values_list("pk", "document_language", "document_vector", "document_public_from")
        )
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (article_id, language, vector, rank_vector, published_at) "
                "SELECT docs.pk, docs.document_language, docs.document_vector, "
                f"ts_filter(docs.document_vector, '{RANK_WEIGHTS}'), docs.document_public_from "
                f"FROM ({sql}) AS docs "
                "ON CONFLICT (article_id, language) DO UPDATE "
                "SET vector = EXCLUDED.vector, rank_vector = EXCLUDED.rank_vector, "
                "published_at = EXCLUDED.published_at "
                # Rows that stay the same are not written (nor is their GIN index entry):
                # an import refreshes every language of an article to change one.
                f"WHERE ({table}.vector, {table}.rank_vector, {table}.published_at) "
                "IS DISTINCT FROM (EXCLUDED.vector, EXCLUDED.rank_vector, EXCLUDED.published_at)",
                params,
            )


@contextmanager
def search_documents_deferred() -> Iterator[None]:
    """Refresh the documents of the articles saved inside once, when the block ends.

    For writes of many articles (a PO import): each save would otherwise refresh
    its article's documents, twice with its translation state. Use it inside the
    transaction of the writes, so the documents still change with the content or
    not at all; if the block raises, nothing is refreshed. Nested blocks refresh
    with the outermost.
    """
    if _deferred.get() is not None:
        yield
        return
    saved: set[int] = set()
    token = _deferred.set(saved)
    try:
        yield
    finally:
        _deferred.reset(token)
    if saved:
        search_documents_refresh(sorted(saved))


def _article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    saved = _deferred.get()
    if saved is None:
        search_documents_refresh([instance.pk])
    else:
        saved.add(instance.pk)


def _translation_state_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    # The content type from Django's cache: not a query for every state saved.
    if ContentType.objects.get_for_id(instance.content_type_id).model_class() is not Article:
        return
    saved = _deferred.get()
    if saved is not None:
        saved.add(instance.object_id)  # the refresh leaves out articles deleted meanwhile
    elif Article.objects.filter(pk=instance.object_id).exists():
        search_documents_refresh([instance.object_id])


def connect_search_signals() -> None:
    from django.db.models.signals import post_save

    from clinic.i18n.models import TranslationState

    if connection.vendor != "postgresql":
        return
    post_save.connect(_article_saved, sender=Article, dispatch_uid="search-article")
    # States are deleted with their article (no refresh then: the documents go too).
    post_save.connect(
        _translation_state_changed, sender=TranslationState, dispatch_uid="search-state-save"
    )
