"""Articles and topics, served from the read model (clinic.published).

The model-based views in :mod:`articles.api.reference` render the same
responses from the models; previews are rendered there (drafts are never stored).
"""

from django.core import signing
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from articles.api import reference
from articles.api.filters import cleaned_filters, published_range
from articles.api.reference import article_detail_response
from articles.api.serializers import (
    ArticleDetailSerializer,
    TopicSerializer,
)
from articles.models import Article
from articles.services import article_from_preview_token
from clinic.api import published
from clinic.api.errors import ApiError
from clinic.api.examples import ARTICLE_LIST_AR
from clinic.api.pagination import Rows, Totals, totals_key
from clinic.api.views import ApiViewMixin, PublishedListView
from clinic.i18n.fallback import slug_owner
from clinic.published.models import Document
from clinic.published.store import slug_tag

#: ``ordering`` → columns of the read model (ties broken by the article's id).
ORDERINGS = {
    "published_at": ("public_from", "object_id"),
    "-published_at": ("-public_from", "-object_id"),
    "title": ("sort_title", "object_id"),
    "-title": ("-sort_title", "-object_id"),
    "updated_at": ("updated_at", "object_id"),
    "-updated_at": ("-updated_at", "-object_id"),
}


def _figures(language: str, counted: published.Condition | None = None) -> dict:
    """When the articles in ``language`` last changed or went live (and how many ``counted``)."""
    return published.list_figures("article", language, counted)


def _last_modified(figures: dict):
    return published.last_modified(figures["changed"], figures["live"])


@extend_schema_view(
    get=extend_schema(
        operation_id="list_topics",
        tags=["topics"],
        summary="Topics",
        responses=TopicSerializer(many=True),
    )
)
class TopicListView(PublishedListView):
    kind = "topic"


def articles_in(language: str):
    return Document.objects.filter(kind="article", language=language)


@extend_schema_view(
    list=extend_schema(
        tags=["articles"],
        operation_id="list_articles",
        summary="Published articles",
        examples=[ARTICLE_LIST_AR],
    ),
    retrieve=extend_schema(
        tags=["articles"],
        operation_id="get_article",
        summary="One article, by its slug in any language",
    ),
)
class ArticleViewSet(reference.ArticleViewSet):
    """Published research news in the request language, with field-level fallback.

    The model-based viewset's parameters, filters and serializers (the schema),
    answered from the read model.
    """

    def retrieve(self, request, *args, **kwargs):
        """Two queries: who owns the slug in a visible language version, then its document."""
        slug, language = self.kwargs["slug"], request.LANGUAGE_CODE
        owner = slug_owner(published.slug_matches("article", slug), language)
        row = None if owner is None else published.detail_row("article", owner, language)
        if row is None:
            raise Http404
        document, topic_ids, disclaimer_ids, changed_at, public_from = row
        shared = published.shared(language)
        body = shared.joined(document.encode(), topic_ids, disclaimer_ids)
        self.cache_tags = (
            f"article:{owner}:{language}",
            slug_tag("article", slug),
            f"disclaimer:{language}",
            *published.topic_tags(topic_ids, language),
        )
        self.last_modified = published.last_modified(changed_at, public_from, shared.changed_at)
        return published.json_response(body, request)

    def list(self, request, *args, **kwargs):
        """A page of the visible articles the filters keep: one written-out query (and one
        for a topic's ids), with the total and ``Last-Modified`` counted once until the list
        changes; no FilterSet and no model queryset unless a search needs them."""
        language, data = request.LANGUAGE_CODE, request.query_params
        cleaned = cleaned_filters(data)
        if (cleaned.get("q") or "").strip():
            return self._searched(language)
        condition, tags = self._condition(cleaned, data)
        ordering = cleaned.get("ordering") or "-published_at"
        if ordering.lstrip("-") != "published_at":
            tags.append(f"article:{language}")  # any edit may move an article in this order
        totals = self._totals(request, language, condition, tags)

        def read(offset: int, limit: int) -> list:
            return published.list_page(
                "article", language, condition, ORDERINGS[ordering], offset, limit
            )

        page = self.paginator.paginate_queryset(Rows(read), request, self, totals=totals)
        return self._page(request, language, page, tags, totals)

    def _condition(self, cleaned: dict, data) -> tuple[published.Condition, "list[str]"]:
        """The visible articles the filters (but ``q`` and ``ordering``) keep; their tags."""
        condition, tags = published.live_condition(), ["article:set"]
        for lookup, moment in published_range(cleaned, data).items():
            condition &= published.moment_condition("public_from", lookup, moment)
        if cleaned.get("topic"):
            topic = cleaned["topic"]
            ids = {pk for pk, _language in published.slug_matches("topic", topic)}
            condition &= published.ids_condition("topic_ids", sorted(ids))
            tags.append(slug_tag("topic", topic))
        return condition, tags

    def _totals(
        self, request, language: str, counted: published.Condition, tags: "list[str]"
    ) -> Totals:
        """How many articles the list has (those ``counted``), when they last changed."""

        def compute():
            figures = _figures(language, counted)
            return figures["count"], _last_modified(figures)

        return Totals(compute, key=totals_key(request), tags=(*tags, f"article:{language}"))

    def _searched(self, language: str):
        """A search: the matching ids by the search rules (articles.querysets), then documents."""
        filters = self.filterset_class(
            self.request.query_params, queryset=self.get_queryset(), request=self.request
        )
        matching = filters.qs
        tags = ["article:set", f"article:{language}"]
        totals = Totals(
            lambda: (matching.count(), _last_modified(_figures(language))),
            key=totals_key(self.request),
            tags=tuple(tags),
        )
        page_ids = self.paginator.paginate_queryset(
            matching.values_list("pk", flat=True), self.request, self, totals=totals
        )
        documents = {
            pk: (pk, document.encode(), topic_ids)
            for pk, document, topic_ids in articles_in(language)
            .filter(object_id__in=list(page_ids))
            .values_list("object_id", "list_json", "topic_ids")
        }
        page = [documents[pk] for pk in page_ids if pk in documents]
        return self._page(self.request, language, page, tags, totals)

    def _page(self, request, language: str, page, tags: "list[str]", totals: Totals):
        topics = published.shared(language)
        body = self.paginator.page_body(
            [topics.joined(document, topic_ids) for _pk, document, topic_ids in page]
        )
        self.cache_tags = (
            *tags,
            *(f"article:{pk}:{language}" for pk, _document, _topics in page),
            *{tag for _pk, _document, ids in page for tag in published.topic_tags(ids, language)},
        )
        self.last_modified = published.last_modified(totals.figures[1], topics.changed_at)
        return published.json_response(body, request)


@extend_schema_view(
    get=extend_schema(
        operation_id="preview_article",
        tags=["articles"],
        summary="Preview an article from a signed admin link, published or not",
        responses=ArticleDetailSerializer,
    )
)
class ArticlePreviewView(ApiViewMixin, generics.GenericAPIView):
    """The article as the API would serve it, drafts and unpublished translations included.

    Only with a valid, unexpired token from the admin; never cached.
    """

    public_cache = False
    serializer_class = ArticleDetailSerializer

    def get(self, request, token: str):
        try:
            article = article_from_preview_token(token)
        except (signing.BadSignature, Article.DoesNotExist) as exc:
            raise ApiError(
                404,
                "invalid_preview",
                _("This preview link is invalid or has expired. Open a new one from the admin."),
            ) from exc
        return article_detail_response(self, article, preview=True, preview_token=token)
