"""Reads of research news: chainable queryset methods that own their joins."""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from clinic.i18n.db import Casefold
from clinic.i18n.fallback import (
    localized_expression,
    published_translation,
    slug_candidates,
    slug_lookup,
)
from clinic.i18n.languages import language_codes, search_config, source_language
from clinic.i18n.registry import derived_fields, localized, translated_fields
from clinic.memo import Memo

PUBLISHED_ANNOTATION = "translation_published"

TOPIC_LIST: Memo[list[models.Model]] = Memo(
    "topic_list",
    holds="an article's topics (one instance per topic for a whole page)",
    filled_by="load_topics (Article.topic_list reads a single article's)",
    invalidated_by="a change of the article's topics, which is saved from "
    "instances of its own (the admin's), never from one that was served",
)


def localized_name(field: str) -> str:
    """The annotation holding ``field`` as served in the request language."""
    return f"{field}_localized"


def _search_query(language: str, text: str):
    """PostgreSQL: ``text`` in web-search syntax, in the language's search configuration."""
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(text, config=search_config(language), search_type="websearch")


class TopicQuerySet(models.QuerySet):
    def by_slug(self, slug: str) -> "TopicQuerySet":
        """Topics whose slug, in the source or a published translation, is ``slug``."""
        return self.filter(slug_lookup(self.model, slug))


@dataclass(frozen=True)
class RankedSearch:
    """A plain ranked search declared on a queryset (:meth:`ArticleQuerySet.ranked_search_only`).

    ``rows_and_order``: what decided the queryset's rows and their order when
    it was declared; the declaration holds while they are unchanged.
    """

    language: str
    text: str
    rows_and_order: tuple


def _rows_and_order(query) -> tuple:
    """What decides which rows a query returns, and in which order (compared by value)."""
    return (
        query.where.clone(),
        query.order_by,
        query.extra_order_by,
        query.standard_ordering,
        query.distinct,
        query.distinct_fields,
        query.combinator,
    )


class ArticleQuerySet(models.QuerySet):
    #: Set by :meth:`ranked_search_only`, kept by every copy (see :meth:`_clone`).
    _ranked_search: RankedSearch | None = None

    def _clone(self) -> "ArticleQuerySet":
        """Django's copy of a queryset, keeping the ranked search it was declared to be."""
        clone = super()._clone()
        clone._ranked_search = self._ranked_search
        return clone

    def __getitem__(self, key):
        """Django's indexing and slicing; a slice of a ranked search uses :meth:`first_results`.

        So a page of a plain ranked search (Django's ``Paginator.page`` slices
        the queryset) is chosen among the best matching search documents alone.
        """
        if (
            isinstance(key, slice)
            and isinstance(key.stop, int)
            and key.stop >= 0
            and (key.start or 0) >= 0
            and self._result_cache is None
        ):
            selected = self.first_results(key.stop)
            if selected is not self:
                return selected[key]
        return super().__getitem__(key)

    def published(self, *, now: datetime | None = None) -> "ArticleQuerySet":
        """Articles the public may see: published, and not scheduled for later."""
        return self.filter(
            status=self.model.Status.PUBLISHED,
            published_at__isnull=False,
            published_at__lte=now or timezone.now(),
        )

    def scheduled_times(self, *, now: datetime | None = None) -> list[datetime]:
        """When published articles scheduled for later go live, soonest first."""
        return list(
            self.filter(status=self.model.Status.PUBLISHED, published_at__gt=now or timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
        )

    def localized(self, language: str, *fields: str) -> "ArticleQuerySet":
        """Annotate ``<field>_localized``: the text served in ``language``, with fallback.

        Filtering, ordering and search on these see what the API serves: the
        published translation where there is one, the English text otherwise.
        """
        queryset = self
        if PUBLISHED_ANNOTATION not in self.query.annotations:
            queryset = queryset.annotate(
                **{PUBLISHED_ANNOTATION: published_translation(self.model, language)}
            )
        return queryset.annotate(
            **{
                localized_name(field): localized_expression(
                    self.model, field, language, published=PUBLISHED_ANNOTATION
                )
                for field in fields
            }
        )

    def with_slug_in_any_language(self, slug: str) -> "ArticleQuerySet":
        """Articles with ``slug`` in any language, published translation or not.

        The candidates of a slug lookup (:func:`clinic.i18n.fallback.slug_candidates`);
        the caller checks which language versions may be seen
        (:func:`articles.api.views.choose_by_slug`).
        """
        return self.filter(slug_candidates(self.model, slug)).order_by()

    def with_topic(self, slug: str) -> "ArticleQuerySet":
        return self.filter(topics__in=self.model.topics.field.related_model.objects.by_slug(slug))

    def search(self, language: str, text: str) -> "ArticleQuerySet":
        """Articles matching ``text`` in the language served (title, summary, body).

        PostgreSQL: full-text search with the language's configuration in the
        GIN-indexed search documents (articles.search), ranked by the match in
        the title and summary (an article matching in its body only ranks
        after those, by date).
        Elsewhere: a case-insensitive substring match.
        """
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchRank

            query = _search_query(language, text)
            return self.filter(
                search_documents__language=language, search_documents__vector=query
            ).annotate(
                search_rank=SearchRank(models.F("search_documents__rank_vector"), query),
                search_published_at=models.F("search_documents__published_at"),
            )
        queryset = self.localized(language, "title", "summary", "body")
        fields = [localized_name(name) for name in ("title", "summary", "body")]
        folded = {f"{field}_folded": Casefold(field) for field in fields}
        condition = Q()
        for name in folded:
            condition |= Q(**{f"{name}__contains": text.casefold()})
        return queryset.annotate(**folded).filter(condition)

    def ranked_search_only(self, language: str, text: str) -> "ArticleQuerySet":
        """Declare this queryset a plain ranked search: published, ``text``, nothing else.

        Its slices (a page) are then taken from the best matching search
        documents alone (:meth:`first_results`). The declaration is kept by
        every copy of the queryset, but holds only while the rows and their
        order are the ones declared: after another filter or ordering, slices
        take the general way (slower, never wrong).
        """
        clone = self._chain()
        clone._ranked_search = RankedSearch(language, text, _rows_and_order(clone.query))
        return clone

    def first_results(self, count: int) -> "ArticleQuerySet":
        """This queryset, reduced to the rows that can be among its first ``count``.

        For a plain ranked search on PostgreSQL: the ``count`` best public
        matches by the search documents alone (rank, then the date copied into
        them, which is empty while an article is not published); PostgreSQL
        would otherwise read the article of every match before sorting them (a
        scan of 5 % of the table for a common word). The queryset's own filters
        still apply to those rows, so nothing unpublished can appear.
        Otherwise: the queryset itself.
        """
        search = self._ranked_search
        if (
            search is None
            or connection.vendor != "postgresql"
            or self.query.is_sliced
            or search.rows_and_order != _rows_and_order(self.query)
        ):
            return self
        from django.contrib.postgres.search import SearchRank

        from articles.models import SearchDocument

        query = _search_query(search.language, search.text)
        best = (
            SearchDocument.objects.filter(
                language=search.language, vector=query, published_at__lte=timezone.now()
            )
            .annotate(rank=SearchRank(models.F("rank_vector"), query))
            .order_by("-rank", "-published_at", "-article_id")
            .values("article_id")[:count]
        )
        return self.filter(pk__in=best)

    def in_language(self, language: str) -> "ArticleQuerySet":
        """Load only the text a response in ``language`` can use: that language and the source.

        The other languages' columns are not read, so rows are much smaller;
        slugs stay, for ``alternates``. (modeltranslation's own untranslated
        column cannot be deferred: it rewrites that name to the active language.)
        Bodies stay even for lists: which fields fall back or are stale is
        reported for the whole article.
        """
        keep = {language, source_language()}
        derived = set(derived_fields(self.model))
        unused = [
            localized(name, code)
            for name in translated_fields(self.model)
            if name not in derived
            for code in language_codes()
            if code not in keep
        ]
        return self.defer(*unused)

    def for_api(self, language: str | None = None) -> "ArticleQuerySet":
        """What the API reads (topics come from :func:`load_topics`, in one query), with the
        lead images (their translation states: attach them with :func:`lead_images`)."""
        articles = self.select_related("lead_image")
        return articles.in_language(language) if language else articles


def lead_images(articles: list[models.Model]) -> list[models.Model]:
    """The lead images of ``articles`` (selected with them by ``for_api``)."""
    return [article.lead_image for article in articles if article.lead_image_id is not None]


def load_topics(articles: list[models.Model]) -> list[models.Model]:
    """Load the topics of ``articles`` in one query; each topic is one object, however shared.

    ``article.topic_list`` then answers from memory (:data:`TOPIC_LIST`). Cheaper
    than ``prefetch_related`` (about a third of its time for a page of 20), and
    every article on a page shares the topic's instance, so its translation is
    worked out once.
    """
    for article in articles:
        TOPIC_LIST.set(article, [])
    if not articles:
        return []
    by_pk = {article.pk: article for article in articles}
    topic_model = articles[0]._meta.get_field("topics").related_model
    rows = topic_model.objects.annotate(linked_article=models.F("articles")).filter(
        linked_article__in=list(by_pk)
    )
    topics: dict[int, models.Model] = {}
    for row in rows:
        topic = topics.setdefault(row.pk, row)
        TOPIC_LIST.get(by_pk[row.linked_article]).append(topic)
    return list(topics.values())
