from django.core import signing
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, viewsets
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
from articles.querysets import load_topics
from articles.services import article_from_preview_token
from clinic.api.errors import ApiError
from clinic.api.examples import ARTICLE_LIST_AR
from clinic.api.pagination import PageNumberPagination
from clinic.api.views import ApiViewMixin, TranslatedListView
from clinic.i18n.languages import language_codes, source_language
from clinic.i18n.state import attach_states
from clinic.models import Disclaimer
from clinic.reviews.services import attach_reviews, loaded_reviewers


@extend_schema(tags=["topics"], summary="Topics")
class TopicListView(TranslatedListView):
    serializer_class = TopicSerializer

    def get_queryset(self):
        return Topic.objects.all()


@extend_schema_view(
    list=extend_schema(tags=["articles"], summary="Published articles", examples=[ARTICLE_LIST_AR]),
    retrieve=extend_schema(tags=["articles"], summary="One article, by its slug in any language"),
)
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
        attach_states([*page, *load_topics(page)], serving=request.LANGUAGE_CODE)
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
            [*candidates, *topics, *disclaimers, *loaded_reviewers(candidates)],
            serving=request.LANGUAGE_CODE,
        )
        article = choose_by_slug(candidates, self.kwargs["slug"], request.LANGUAGE_CODE)
        if article is None:
            raise Http404
        return article_detail_response(self, article, shown_with(disclaimers, article))


def choose_by_slug(candidates: list[Article], slug: str, language: str) -> Article | None:
    """The article whose slug is ``slug`` in a language version the public may see.

    A slug may be one article's English slug and another's translated one: the
    request language wins, then the source, then the other languages in order
    (the same rule as :func:`clinic.i18n.fallback.slug_lookup` in SQL).
    """
    preference = [language, *language_codes()]
    ranked = [
        (preference.index(code), article.pk, article)
        for article in candidates
        for code, visible in published_slugs(article).items()
        if visible == slug
    ]
    return min(ranked, key=lambda item: item[:2])[2] if ranked else None


def article_detail_response(
    view, article: Article, disclaimers: list[Disclaimer] | None = None, **context
) -> Response:
    """The article's detail; states of the article, its topics and disclaimers already loaded."""
    if disclaimers is None:
        disclaimers = list(disclaimers_for(article))
        attach_reviews([article])
        attach_states(
            [article, *load_topics([article]), *disclaimers, *loaded_reviewers([article])]
        )
    context = {**view.get_serializer_context(), "disclaimers": disclaimers, **context}
    return Response(ArticleDetailSerializer(article, context=context).data)


@extend_schema(
    tags=["articles"],
    summary="Preview an article from a signed admin link, published or not",
    responses=ArticleDetailSerializer,
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
