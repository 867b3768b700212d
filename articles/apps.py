from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Research news")

    def ready(self) -> None:
        from articles.api.documents import register_documents
        from articles.models import Article, Reference, Topic
        from articles.search import connect_search_signals, search_documents_deferred
        from articles.services import article_review_facts
        from clinic.content import Role, register

        connect_search_signals()
        register_documents()
        everyone_reads = {Role.REVIEWERS: ("view",)}
        register(
            Topic,
            follow=("translation_states",),
            staff={
                Role.EDITORS: ("add", "change", "view"),
                Role.PUBLISHERS: ("add", "change", "view", "delete"),
                Role.TRANSLATORS: ("view", "change"),
                **everyone_reads,
            },
        )
        register(
            Article,
            follow=("references", "translation_states"),
            exclude=("version",),
            m2m=("topics", "disclaimers"),
            scheduled_times=lambda: Article.objects.scheduled_times(),
            public=lambda: Article.objects.published(),
            staff={
                Role.EDITORS: ("add", "change", "view", "submit_article"),
                Role.PUBLISHERS: (
                    "add",
                    "change",
                    "view",
                    "delete",
                    "submit_article",
                    "publish_article",
                ),
                Role.TRANSLATORS: ("view", "change"),
                **everyone_reads,
            },
            review_facts=article_review_facts,
            bulk_write=search_documents_deferred,
        )
        register(
            Reference,
            staff={
                Role.EDITORS: ("add", "change", "view"),
                Role.PUBLISHERS: ("add", "change", "view", "delete"),
                **everyone_reads,
            },
        )
