"""Articles and topics in the read model, rendered by the API's own serializers.

An article's documents hold placeholders where its topics and disclaimers go,
and their ids; reads join in the topics' and disclaimers' own documents
(:mod:`clinic.api.published`), so a change of a topic or a disclaimer rebuilds
only its own documents, however many articles show it (see
docs/architecture.md, "The published read model").
"""

from collections.abc import Iterator

from django.db.models import Q
from django.utils import translation

from articles.api.serializers import (
    ArticleDetailSerializer,
    ArticleListSerializer,
    TopicSerializer,
    published_slugs,
    topic_slugs,
)
from articles.disclaimers import disclaimers_for_articles, own_disclaimers
from articles.models import Article, Reference, Topic
from articles.querysets import TOPIC_LIST, load_topics
from clinic.api.documents import (
    DISCLAIMERS,
    TOPICS,
    completeness_counts,
    ids_column,
    ids_of,
    list_documents,
    render,
    serving_context,
)
from clinic.api.images import as_card
from clinic.html import library_image_keys
from clinic.i18n.fallback import localize
from clinic.i18n.languages import language_codes
from clinic.i18n.registry import localized
from clinic.i18n.state import attach_states
from clinic.images.models import Image
from clinic.published.configuration import rendered_with
from clinic.published.models import Document
from clinic.published.store import Kind, affects, register_kind, watch_relation
from clinic.reviews.services import attach_reviews, loaded_reviewers

#: The fields of a list item, in order: the first fields of a detail.
LIST_FIELDS = tuple(ArticleListSerializer().fields)


def published_articles():
    """Articles published now or scheduled: those with documents (reads filter the time)."""
    return Article.objects.filter(status=Article.Status.PUBLISHED, published_at__isnull=False)


def article_documents(ids: list[int] | None) -> Iterator[Document]:
    """The list and detail documents of the published articles among ``ids``, every language."""
    articles = published_articles().select_related("lead_image").prefetch_related("references")
    if ids is not None:
        articles = articles.filter(pk__in=ids)
    articles = list(articles)
    load_topics(articles)
    topic_ids = {article.pk: ids_column(t.pk for t in article.topic_list) for article in articles}
    for article in articles:
        TOPIC_LIST.set(article, [])  # joined in at read time: not rendered here
    disclaimers = list(disclaimers_for_articles([article.pk for article in articles]))
    attach_reviews(articles)
    images = Image.objects.by_keys(
        {key for article in articles for key in body_image_keys(article)}
    )
    lead_images = [article.lead_image for article in articles if article.lead_image_id]
    attach_states([*articles, *loaded_reviewers(articles), *images.values(), *lead_images])
    contexts = {
        language: {**serving_context(language), "images": images} for language in language_codes()
    }
    detailed = {
        code: ArticleDetailSerializer(context=context) for code, context in contexts.items()
    }
    for article in articles:
        slugs = published_slugs(article)
        for language, context in contexts.items():
            context["disclaimers"] = []  # joined in at read time
            with translation.override(language):
                detail = detailed[language].to_representation(article)
            # A detail starts with the list item (ArticleDetailSerializer extends it); the
            # list shows its image as a card.
            listing = {key: detail[key] for key in LIST_FIELDS}
            listing["image"] = as_card(detail["image"])
            listing["topics"] = detail["topics"] = TOPICS
            detail["disclaimers"] = DISCLAIMERS
            yield Document(
                kind="article",
                object_id=article.pk,
                language=language,
                slug=slugs.get(language, ""),
                public_from=article.published_at,
                updated_at=article.updated_at,
                sort_title=localize(article, language).values["title"],
                topic_ids=topic_ids[article.pk],
                disclaimer_ids=ids_column(own_disclaimers(disclaimers, article.pk)),
                list_json=render(listing).decode(),
                detail_json=render(detail).decode(),
                **completeness_counts(article, language),
            )


def body_image_keys(article: Article) -> set[str]:
    """The keys of the library images in the article's body, in any language."""
    return {
        key
        for language in language_codes()
        for key in library_image_keys(getattr(article, localized("body", language)) or "")
    }


def articles_showing(image: Image) -> dict:
    """The documents of the articles that show ``image`` (lead or in a body): to rebuild.

    Bodies are searched for the image's address (a scan of the published articles' bodies):
    images change far less often than articles are read, and no table has to be kept in
    step with every body.
    """
    # The stored key: an instance made from a translation state's object id has a new one;
    # a deleted image has only the instance's.
    key = Image.objects.filter(pk=image.pk).values_list("key", flat=True).first() or image.key
    shown_in_body = Q()
    for language in language_codes():
        shown_in_body |= Q(**{f"{localized('body', language)}__contains": f"/images/{key}/"})
    articles = published_articles().filter(Q(lead_image_id=image.pk) | shown_in_body)
    return {"article": set(articles.values_list("pk", flat=True))}


def topic_documents(ids: list[int] | None) -> Iterator[Document]:
    """Every topic (an unpaginated list), with its slug in each language a reader may see."""
    topics = {topic.pk: topic for topic in Topic.objects.all()}
    for row in list_documents("topic", list(topics.values()), TopicSerializer):
        row.slug = topic_slugs(topics[row.object_id]).get(row.language, "")
        yield row


def register_documents() -> None:
    # Documents hold the public page URLs and the JSON-LD's publisher.
    # IMAGE_CROP_RATIOS: a list's image is the first ratio's crop (clinic.api.images.as_card).
    rendered_with("PUBLIC_PAGE_URLS", "CLINIC_NAME", "CLINIC_URL", "IMAGE_CROP_RATIOS")
    register_kind(Kind("topic", Topic, topic_documents, ids_of(Topic.objects), whole=True))
    register_kind(Kind("article", Article, article_documents, ids_of(published_articles())))
    affects(Article, lambda article: {"article": {article.pk}})
    affects(Topic, lambda topic: {"topic": None})
    affects(Reference, lambda ref: {"article": {ref.article_id}})
    affects(Image, articles_showing)
    watch_relation(Article.topics.through)
    watch_relation(Article.disclaimers.through)
