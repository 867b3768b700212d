from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Research news")

    def ready(self) -> None:
        from articles.models import Article
        from articles.search import connect_search_signals
        from articles.services import article_review_facts
        from clinic.reviews.registry import register_reviewable

        connect_search_signals()
        register_reviewable(Article, facts=article_review_facts)
