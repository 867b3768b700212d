"""Writes of the clinic's own content: the demo contact lines and disclaimers, demo helpers.

The whole demo content is loaded by :func:`clinic.demo.demo_content_load`; each app
loads its own part (this module the clinic's, ``articles.demo`` the research news).
"""

from collections import Counter
from collections.abc import Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.html import escape

from clinic.i18n.languages import language_codes, target_languages
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import localized
from clinic.i18n.services import content_save
from clinic.models import ContactLine, Disclaimer
from clinic.phones import normalize_phone
from clinic.reviews.models import ReviewNote


def demo_create(obj: models.Model, translations: Mapping[str, Mapping[str, str]]) -> models.Model:
    """Validate and save a new demo object through the write path, its translations published.

    ``translations``: field → language → text.
    """
    columns = []
    for field, texts in translations.items():
        for language in language_codes():
            if texts.get(language):
                setattr(obj, localized(field, language), texts[language])
                columns.append(localized(field, language))
    translated = {
        language
        for language in target_languages()
        if any(texts.get(language) for texts in translations.values())
    }
    content_save(
        obj=obj,
        changed_fields=columns,
        statuses=dict.fromkeys(translated, TranslationState.Status.PUBLISHED),
        origin=TranslationState.Origin.SEED,
        validate=True,
    )
    return obj


def paragraphs_to_html(paragraphs: Mapping[str, list[str]]) -> dict[str, str]:
    """Language → paragraphs of plain text, as HTML paragraphs."""
    return {
        language: "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in texts)
        for language, texts in paragraphs.items()
    }


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


def demo_clinic_load(data: Mapping) -> Counter:
    """The demo disclaimers (with their notes) and contact lines that are missing.

    Found by stable keys (disclaimer keys, E.164 numbers); a number listed twice
    in the source is created once. Returns how many objects were created.
    """
    created: Counter = Counter()
    for item in data["disclaimers"]:
        disclaimer = Disclaimer.objects.filter(key=item["key"]).first()
        if disclaimer is None:
            disclaimer = demo_create(
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
        demo_create(line, {"label": item["label"]})
        created["contact_lines"] += 1
    return created
