"""The API's endpoints rendered from the models (the reference implementation), same paths."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from articles.api.reference import ArticleViewSet, TopicListView
from clinic.api.reference import ContactLineListView, DisclaimerListView, LanguageListView

router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="article")

api = (
    [
        path("languages/", LanguageListView.as_view(), name="language-list"),
        path("topics/", TopicListView.as_view(), name="topic-list"),
        path("contacts/", ContactLineListView.as_view(), name="contact-list"),
        path("disclaimers/", DisclaimerListView.as_view(), name="disclaimer-list"),
        *router.urls,
    ],
    "api",
)
urlpatterns = [path("api/v1/", include(api))]
