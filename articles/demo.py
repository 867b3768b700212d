"""The research news of the demo content: its topics, the trial report and its references."""

from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime

from django.utils.text import slugify

from articles.models import Article, Reference, Topic
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
    if not Article.objects.filter(slug_en=slugify(item["title"]["en"])).exists():
        _create_article(item, topics)
        created["articles"] += 1
    return created


def _create_article(item: Mapping, topics: dict[str, Topic]) -> Article:
    presented_on = item.get("presented_on")
    article = Article(
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
