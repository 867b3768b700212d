"""The model-based rendering of articles and topics: the reference implementation.

Public reads are served from the read model (:mod:`articles.api.views`); these
views render the same responses from the models at request time. Tests compare
the two, the read model's documents are rendered by the same serializers, and
previews (drafts included, never stored) are rendered here.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from articles.api.filters import ArticleFilter
from articles.api.serializers import (
    ArticleDetailSerializer,
    ArticleListSerializer,
    TopicSerializer,
    published_slugs,
)
from articles.disclaimers import disclaimers_for, disclaimers_for_articles, shown_with
from articles.models import Article, Topic
from articles.querysets import lead_images, load_topics
from clinic.api.pagination import PageNumberPagination
from clinic.api.reference import TranslatedListView
from clinic.api.views import ApiViewMixin
from clinic.i18n.fallback import slug_owner
from clinic.i18n.languages import source_language
from clinic.i18n.state import attach_states
from clinic.models import Disclaimer
from clinic.reviews.services import attach_reviews, loaded_reviewers


@extend_schema(tags=["topics"], summary="Topics")
class TopicListView(TranslatedListView):
    serializer_class = TopicSerializer

    def get_queryset(self):
        return Topic.objects.all()


class ArticleViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Published research news in the request language, with field-level fallback."""

    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"
    pagination_class = PageNumberPagination
    filterset_class = ArticleFilter

    def get_queryset(self):
        articles = Article.objects.published()
        language = getattr(self.request, "LANGUAGE_CODE", None)  # None: schema generation
        return articles.for_api(language)

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleListSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        attach_states(
            [*page, *load_topics(page), *lead_images(page)], serving=request.LANGUAGE_CODE
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        # Every article with this slug in some language, then in Python the one
        # whose slug is in a language version the public may see (6 queries in
        # all: candidates, their topics, disclaimers, reviews and states, references).
        candidates = list(self.get_queryset().with_slug_in_any_language(self.kwargs["slug"]))
        if not candidates:
            raise Http404
        topics = load_topics(candidates)
        disclaimers = list(disclaimers_for_articles([article.pk for article in candidates]))
        attach_reviews(candidates, languages={request.LANGUAGE_CODE, source_language()})
        attach_states(
            [
                *candidates,
                *topics,
                *disclaimers,
                *loaded_reviewers(candidates),
                *lead_images(candidates),
            ],
            serving=request.LANGUAGE_CODE,
        )
        article = choose_by_slug(candidates, self.kwargs["slug"], request.LANGUAGE_CODE)
        if article is None:
            raise Http404
        return article_detail_response(self, article, shown_with(disclaimers, article))


def choose_by_slug(candidates: list[Article], slug: str, language: str) -> Article | None:
    """The article whose slug is ``slug`` in a language version the public may see."""
    by_pk = {article.pk: article for article in candidates}
    owner = slug_owner(
        (
            (article.pk, code)
            for article in candidates
            for code, visible in published_slugs(article).items()
            if visible == slug
        ),
        language,
    )
    return by_pk.get(owner)


def article_detail_response(
    view, article: Article, disclaimers: list[Disclaimer] | None = None, **context
) -> Response:
    """The article's detail; states of the article, its topics and disclaimers already loaded."""
    if disclaimers is None:
        disclaimers = list(disclaimers_for(article))
        attach_reviews([article])
        attach_states(
            [
                article,
                *load_topics([article]),
                *disclaimers,
                *loaded_reviewers([article]),
                *lead_images([article]),
            ]
        )
    context = {**view.get_serializer_context(), "disclaimers": disclaimers, **context}
    return Response(ArticleDetailSerializer(article, context=context).data)
