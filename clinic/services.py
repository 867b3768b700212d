"""Writes that span the clinic's content: loading the demo content."""

import json
import logging
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.html import escape
from django.utils.text import slugify

from articles.models import Article, Reference, Topic
from clinic.demo_corrections import demo_corrections_apply
from clinic.i18n.languages import language_codes, target_languages
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import localized
from clinic.i18n.services import sanitize_html_fields, translation_record
from clinic.i18n.slugs import derive_slugs
from clinic.models import ContactLine, Disclaimer
from clinic.phones import normalize_phone
from clinic.reviews.models import ReviewNote
from clinic.revisions import content_revision

logger = logging.getLogger(__name__)

DEMO_CONTENT = Path(__file__).resolve().parent / "seed" / "clinic_page.json"


def _set_translations(obj: models.Model, field: str, texts: Mapping[str, str]) -> None:
    for language in language_codes():
        if texts.get(language):
            setattr(obj, localized(field, language), texts[language])


def _create(obj: models.Model, translations: Mapping[str, Mapping[str, str]]) -> models.Model:
    """Validate and save a new demo object, its translations published and current."""
    for field, texts in translations.items():
        _set_translations(obj, field, texts)
    sanitize_html_fields(obj)
    derive_slugs(obj)
    obj.full_clean()
    obj.save()
    for language in target_languages():
        if any(texts.get(language) for texts in translations.values()):
            translation_record(
                obj=obj,
                language=language,
                origin=TranslationState.Origin.SEED,
                status=TranslationState.Status.PUBLISHED,
            )
    return obj


def _add_notes(obj: models.Model, notes: list[Mapping[str, str]]) -> int:
    """Add the demo's review and translator notes to ``obj`` where they are not there yet."""
    content_type = ContentType.objects.get_for_model(obj)
    added = 0
    for note in notes:
        _note, new = ReviewNote.objects.get_or_create(
            content_type=content_type, object_id=obj.pk, **note
        )
        added += new
    return added


def _paragraphs_to_html(paragraphs: Mapping[str, list[str]]) -> dict[str, str]:
    return {
        language: "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in texts)
        for language, texts in paragraphs.items()
    }


@transaction.atomic
@content_revision("Demo content loaded")
def demo_content_load(*, path: Path = DEMO_CONTENT) -> Counter:
    """Create the clinic page's content (and its translations) where it is missing.

    Objects are found by stable keys (topic and article English slugs, E.164
    numbers, disclaimer keys); existing ones are left as they are, so running it
    again changes nothing and never overwrites an editor's work. A number listed
    twice in the source is created once. Returns how many objects were created.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    created: Counter = Counter()

    for item in data["disclaimers"]:
        disclaimer = Disclaimer.objects.filter(key=item["key"]).first()
        if disclaimer is None:
            disclaimer = _create(
                Disclaimer(key=item["key"], applies_to=item["applies_to"]), {"text": item["text"]}
            )
            created["disclaimers"] += 1
        if added := _add_notes(disclaimer, item.get("notes", [])):
            created["review_notes"] += added

    seen_numbers: set[str] = set()
    for item in data["contact_lines"]:
        number = normalize_phone(item["number"])
        if number in seen_numbers or ContactLine.objects.filter(number=number).exists():
            seen_numbers.add(number)
            continue
        seen_numbers.add(number)
        line = ContactLine(
            number=number, kind=item["kind"], languages=item["languages"], order=item["order"]
        )
        _create(line, {"label": item["label"]})
        created["contact_lines"] += 1

    topics: dict[str, Topic] = {}
    for item in data["topics"]:
        topic = Topic.objects.filter(slug_en=item["slug"]).first()
        if topic is None:
            topic = _create(Topic(slug_en=item["slug"]), {"name": item["name"]})
            created["topics"] += 1
        topics[item["slug"]] = topic

    item = data["article"]
    if not Article.objects.filter(slug_en=slugify(item["title"]["en"])).exists():
        article = _create(
            Article(
                status=Article.Status.PUBLISHED,
                published_at=datetime.fromisoformat(item["published_at"]),
                phase=item["phase"],
                study_title=item["study_title"],
                enrollment=item["enrollment"],
                institution=item["institution"],
                institution_place=item["institution_place"],
                lead_investigator=item["lead_investigator"],
                presented_at=item["presented_at"],
                presented_place=item["presented_place"],
                presented_on=date.fromisoformat(item["presented_on"])
                if item.get("presented_on")
                else None,
            ),
            {
                "title": item["title"],
                "summary": item["summary"],
                "body": _paragraphs_to_html(item["body_paragraphs"]),
                "seo_title": item["seo_title"],
                "seo_description": item["seo_description"],
                "condition": item["condition"],
                "intervention": item["intervention"],
            },
        )
        article.topics.set([topics[slug] for slug in item["topics"]])
        for order, reference in enumerate(item["references"]):
            citation = Reference(article=article, order=order, **reference)
            citation.full_clean()
            citation.save()
        created["articles"] += 1

    created.update(demo_corrections_apply())  # the earlier demo text, where still unchanged
    logger.info("Demo content loaded: %s", dict(created) or "nothing new")
    return created
