from django.core import signing
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, viewsets
from rest_framework.response import Response

from articles.api.filters import ArticleFilter
from articles.api.serializers import ArticleDetailSerializer, ArticleListSerializer, TopicSerializer
from articles.models import Article, Topic
from articles.services import article_from_preview_token
from clinic.api.errors import ApiError
from clinic.api.examples import ARTICLE_LIST_AR
from clinic.api.pagination import PageNumberPagination
from clinic.api.views import ApiViewMixin, TranslatedListView
from clinic.i18n.languages import language_codes
from clinic.i18n.registry import localized
from clinic.i18n.state import attach_states
from clinic.models import Disclaimer


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
        if self.action == "retrieve":
            return articles.for_detail(language)
        return articles.for_list(language)

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleListSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        attach_states([*page, *(topic for article in page for topic in article.topics.all())])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self) -> Article:
        slug = self.kwargs["slug"]
        # A slug may be one article's English slug and another's translated one:
        # prefer the request language, then the source, then the others.
        preference = [self.request.LANGUAGE_CODE, *language_codes()]
        rank = Case(
            *(
                When(**{localized("slug", language): slug}, then=Value(position))
                for position, language in enumerate(preference)
            ),
            output_field=IntegerField(),
        )
        article = (
            self.get_queryset().by_slug(slug).annotate(slug_rank=rank).order_by("slug_rank").first()
        )
        if article is None:
            raise Http404
        return article

    def retrieve(self, request, *args, **kwargs):
        return article_detail_response(self, self.get_object())


def article_detail_response(view, article: Article, **context) -> Response:
    disclaimers = list(Disclaimer.objects.for_article(article))
    attach_states([article, *article.topics.all(), *disclaimers])
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
