from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Research news")

    def ready(self) -> None:
        from articles.search import connect_search_signals

        connect_search_signals()
