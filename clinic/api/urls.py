"""``/api/v1/``: every endpoint of the public read API."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from articles.api.views import ArticlePreviewView, ArticleViewSet, TopicListView
from clinic.api.views import CatalogView, ContactLineListView, DisclaimerListView, LanguageListView

app_name = "api"

router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="article")

urlpatterns = [
    path("languages/", LanguageListView.as_view(), name="language-list"),
    path("topics/", TopicListView.as_view(), name="topic-list"),
    path("contacts/", ContactLineListView.as_view(), name="contact-list"),
    path("disclaimers/", DisclaimerListView.as_view(), name="disclaimer-list"),
    path("i18n/catalog/", CatalogView.as_view(), name="catalog"),
    path("preview/<str:token>/", ArticlePreviewView.as_view(), name="article-preview"),
    *router.urls,
]
