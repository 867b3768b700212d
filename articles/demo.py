"""The research news of the demo content: its topics, the trial report and its references."""

from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime

from django.utils.text import slugify

from articles.models import Article, Reference, Topic
from clinic.i18n.models import TranslationState
from clinic.i18n.services import content_save
from clinic.images.demo import demo_image_load
from clinic.images.models import Image
from clinic.services import demo_create, paragraphs_to_html

TRANSLATED = ("title", "summary", "seo_title", "seo_description", "condition", "intervention")
STUDY = (
    "phase",
    "study_title",
    "enrollment",
    "institution",
    "institution_place",
    "lead_investigator",
    "presented_at",
    "presented_place",
)


def demo_articles_load(data: Mapping) -> Counter:
    """The demo topics and article that are missing (found by their English slugs)."""
    created: Counter = Counter()
    topics: dict[str, Topic] = {}
    for item in data["topics"]:
        topic = Topic.objects.filter(slug_en=item["slug"]).first()
        if topic is None:
            topic = demo_create(Topic(slug_en=item["slug"]), {"name": item["name"]})
            created["topics"] += 1
        topics[item["slug"]] = topic
    item = data["article"]
    image, image_created = demo_image_load(item["lead_image"])
    created["images"] += image_created
    article = Article.objects.filter(slug_en=slugify(item["title"]["en"])).first()
    if article is None:
        _create_article(item, topics, image)
        created["articles"] += 1
    elif image_created and article.lead_image_id is None:
        # An article loaded before the demo had an image gets it once, when it is drawn.
        article.lead_image = image
        content_save(obj=article, origin=TranslationState.Origin.SEED)
    return created


def _create_article(item: Mapping, topics: dict[str, Topic], image: Image) -> Article:
    presented_on = item.get("presented_on")
    article = Article(
        lead_image=image,
        status=Article.Status.PUBLISHED,
        published_at=datetime.fromisoformat(item["published_at"]),
        presented_on=date.fromisoformat(presented_on) if presented_on else None,
        **{name: item[name] for name in STUDY},
    )
    translations = {name: item[name] for name in TRANSLATED}
    translations["body"] = paragraphs_to_html(item["body_paragraphs"])
    demo_create(article, translations)
    article.topics.set([topics[slug] for slug in item["topics"]])
    for order, reference in enumerate(item["references"]):
        citation = Reference(article=article, order=order, **reference)
        citation.full_clean()
        citation.save()
    return article
