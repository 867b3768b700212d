"""Articles and topics in the read model, rendered by the API's own serializers.

Topics and disclaimers are stored inside the documents of the articles that
show them, as the API serves them; a change of a topic or a disclaimer
rebuilds those articles' documents in the same transaction (see
docs/architecture.md, "The published read model").
"""

from collections.abc import Iterator

from articles.api.serializers import (
    ArticleDetailSerializer,
    ArticleListSerializer,
    TopicSerializer,
    published_slugs,
)
from articles.disclaimers import disclaimers_for_articles, shown_with
from articles.models import Article, Reference, Topic
from articles.querysets import load_topics
from clinic.api.documents import completeness_counts, ids_of, list_documents, rendered_in
from clinic.i18n.fallback import localize
from clinic.i18n.languages import language_codes, source_language
from clinic.i18n.registry import localized
from clinic.i18n.state import attach_states, is_translation_published
from clinic.published.models import Document
from clinic.published.store import Kind, affects, register_kind, watch_relation
from clinic.reviews.services import attach_reviews, loaded_reviewers


def published_articles():
    """Articles published now or scheduled: those with documents (reads filter the time)."""
    return Article.objects.filter(status=Article.Status.PUBLISHED, published_at__isnull=False)


def article_documents(ids: list[int] | None) -> Iterator[Document]:
    """The list and detail documents of the published articles among ``ids``, every language."""
    articles = published_articles().prefetch_related("references")
    if ids is not None:
        articles = articles.filter(pk__in=ids)
    articles = list(articles)
    topics = load_topics(articles)
    disclaimers = list(disclaimers_for_articles([article.pk for article in articles]))
    attach_reviews(articles)
    attach_states([*articles, *topics, *disclaimers, *loaded_reviewers(articles)])
    for article in articles:
        shown = shown_with(disclaimers, article)
        slugs = published_slugs(article)
        topic_ids = "".join(f"|{topic.pk}" for topic in article.topic_list)
        for language in language_codes():

            def detail(context, article=article, shown=shown):
                context = {**context, "disclaimers": shown}
                return ArticleDetailSerializer(article, context=context).data

            def listed(context, article=article):
                return ArticleListSerializer(article, context=context).data

            yield Document(
                kind="article",
                object_id=article.pk,
                language=language,
                slug=slugs.get(language, ""),
                public_from=article.published_at,
                updated_at=article.updated_at,
                sort_title=localize(article, language).values["title"],
                topic_ids=f"{topic_ids}|" if topic_ids else "",
                list_json=rendered_in(language, listed),
                detail_json=rendered_in(language, detail),
                **completeness_counts(article, language),
            )


def topic_documents(ids: list[int] | None) -> Iterator[Document]:
    """Every topic (an unpaginated list), with its slug in each language a reader may see."""
    topics = {topic.pk: topic for topic in Topic.objects.all()}
    for row in list_documents("topic", list(topics.values()), TopicSerializer):
        topic = topics[row.object_id]
        if row.language == source_language() or is_translation_published(topic, row.language):
            row.slug = getattr(topic, localized("slug", row.language)) or ""
        yield row


def _articles_with_topic(topic: Topic) -> dict:
    return {
        "topic": None,
        "article": set(
            Article.topics.through.objects.filter(topic_id=topic.pk).values_list(
                "article_id", flat=True
            )
        ),
    }


def register_documents() -> None:
    register_kind(Kind("topic", Topic, topic_documents, ids_of(Topic.objects), whole=True))
    register_kind(Kind("article", Article, article_documents, ids_of(published_articles())))
    affects(Article, lambda article: {"article": {article.pk}})
    affects(Topic, _articles_with_topic)
    affects(Reference, lambda ref: {"article": {ref.article_id}})
    watch_relation(Article.topics.through)
    watch_relation(Article.disclaimers.through)
