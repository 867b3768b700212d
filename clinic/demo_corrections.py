"""Corrections of the demo content's translations, for databases loaded before them.

The demo loader creates what is missing and never overwrites, so a database
loaded from an earlier ``seed/clinic_page.json`` keeps that earlier text. Each
correction names one field of one demo object in one language, the fingerprint
of the whole text the earlier seed stored there and the phrases the medical
translation review changed in it. A correction applies only where

* the stored text is still exactly that earlier text: a text an editor or a
  translator changed (or one already corrected) is left alone, and
* the field is current: if the English changed since, the translation waits for
  its translator (saving it would record it as translating the new English).

Corrections are saved through the one write path (:func:`content_save`:
sanitising, slugs, translation state with origin "demo content", the current
English recorded as each corrected field's source) in one revision, "Demo content
corrections". Applied, the text no longer matches, so running again changes nothing.

Why the loader and not a data migration: a migration sees historical models,
without the translation registry, the sanitiser, translation state recording or
revisions, so it would have to copy the write path and fall behind it; and it runs
once, while a database with the earlier text can arrive after it (a restored
backup). The loader runs on every ``make run`` and ``load_demo_content``.
"""

import hashlib
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction

from clinic.i18n.models import TranslationState
from clinic.i18n.registry import localized
from clinic.i18n.services import content_save
from clinic.i18n.state import FieldStatus, field_statuses
from clinic.revisions import content_revision

logger = logging.getLogger(__name__)

#: How the loader finds each kind of demo object: its model (label) and stable key.
DEMO_KEYS: dict[str, tuple[str, str]] = {
    "article": ("articles.Article", "slug_en"),
    "contact line": ("clinic.ContactLine", "number"),
    "disclaimer": ("clinic.Disclaimer", "key"),
}
REVISION_COMMENT = "Demo content corrections"


def fingerprint(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Correction:
    """What the review changed in one field of one demo object, in one language."""

    kind: str
    key: str
    field: str
    language: str
    #: SHA-256 of the whole text the earlier seed stored in the field.
    earlier: str
    #: (earlier phrase, corrected phrase), each replaced wherever it occurs.
    changes: tuple[tuple[str, str], ...]

    def applies_to(self, text: str | None) -> bool:
        return fingerprint(text) == self.earlier

    def apply(self, text: str) -> str:
        for earlier, corrected in self.changes:
            text = text.replace(earlier, corrected)
        return text


ARTICLE = "patients-with-progressive-multiple-sclerosis-may-benefit-from-stem-cell-therapy"
AUTOLOGOUS_AR = ("العصبية الذاتية داخل", "العصبية ذاتية المنشأ داخل")
PROGENITORS_UK = ("нейральних попередників", "нейральних клітин-попередників")

CORRECTIONS = (
    Correction(
        "article", ARTICLE, "summary", "ar",
        "c6d7287d81fea0852aa8d4a60c0bb8437886b7bb444b2a1d331295df782daea1",
        (AUTOLOGOUS_AR,),
    ),
    Correction(
        "article", ARTICLE, "body", "ar",
        "6eca8ecc7956d4a8e1f1c0088afd1935b2872edde7eba893386fb1608bba83ca",
        (
            AUTOLOGOUS_AR,
            ("عجز ثابت", "عجز راسخ"),
            ("بأقل من 1 نقطة", "أقل من 1 نقطة"),
            ("(أي خلايا ذاتية)", "(أي خلايا ذاتية المنشأ)"),
            ("السمعي المُوقَّت", "السمعي محدَّد الإيقاع (PASAT)"),
        ),
    ),
    Correction(
        "article", ARTICLE, "seo_title", "ar",
        "4b68bfa12417d705a7f29e3e5a0f8b744e6d2f69b455a43717329a3cdddfa50e",
        (("نتائج المرحلة 1", "نتائج تجربة المرحلة 1"),),
    ),
    Correction(
        "article", ARTICLE, "seo_description", "ar",
        "4dce39a793be00eccb22b0f203cd7bbf0ef330af60d41ba986b27e8f9cfc9efe",
        (AUTOLOGOUS_AR,),
    ),
    Correction(
        "article", ARTICLE, "intervention", "ar",
        "c96e25f2dab0860d89a0919e4b37b0f36ac580c2b2fa26580ca7afae5412ca77",
        (("عصبية ذاتية تُعطى", "عصبية ذاتية المنشأ تُعطى"),),
    ),
    Correction(
        "article", ARTICLE, "summary", "uk",
        "0805e0b09d46d068533f117b46f2ddba544b77286bb0df8a5193abc04f0c1872",
        (PROGENITORS_UK,),
    ),
    Correction(
        "article", ARTICLE, "body", "uk",
        "2df4c9179ac9c167240ba8fe2cd66708625b33e0fca2fdf7e19ecd34fc612229",
        (
            ("аутологічних нейральних попередників", "аутологічних нейральних клітин-попередників"),
            ("дослідження д-р Садік організував", "дослідження, д-р Садік, організував"),
            ("здатного спричинити регрес інвалідизації", "здатного зменшити інвалідизацію"),
            ("введення нейральних попередників на", "введення нейральних клітин-попередників на"),
            ("(діапазон: 3.5-8.5)", "(діапазон: 3,5–8,5)"),
            ("стабільним навантаженням ураженнями", "стабільним обсягом уражень"),
            ("пацієнтам нейральні попередники", "пацієнтам нейральні клітини-попередники"),
            ("Нейральні попередники вводили", "Нейральні клітини-попередники вводили"),
            ("за одну ін’єкцію", "на одну ін’єкцію"),
        ),
    ),
    Correction(
        "article", ARTICLE, "seo_description", "uk",
        "19f1c9e7afbc847a797ae52fff0f0b6c1ab35a40a999deeb6456d4a6c9ba1a28",
        (("нейральні попередники", "нейральні клітини-попередники"),),
    ),
    Correction(
        "article", ARTICLE, "intervention", "uk",
        "896e23fd21de1978a6a7dc2a28064b52f552885834354886e856a72a0c8a955c",
        (PROGENITORS_UK,),
    ),
    Correction(
        "contact line", "+380930552240", "label", "ar",
        "78e1d9b5dfbc463c6ac2059fde2765f6a6419b306b2d896a4989d8fc2cb8f696",
        (("الخط الناطق بالعربية", "خط باللغة العربية"),),
    ),
    Correction(
        "contact line", "+380930552240", "label", "uk",
        "037e52ad4b683b29a49318b97de16e420a9a15142b57963a814e940f9006f9b8",
        (("Арабськомовна лінія", "Лінія арабською мовою"),),
    ),
    Correction(
        "contact line", "+380688898989", "label", "uk",
        "9fa0d87965d4e783c84f0ad225c3c2c6ecbf41c3349d0ac559fe586298734e08",
        (("Мобільна лінія", "Мобільний номер"),),
    ),
    Correction(
        "disclaimer", "treatment-results", "text", "uk",
        "85d7105f80a0c7ae09c258d37a2afc94d4e0a28bdedc4a896ad452d63c15b04c",
        (("залежать від: тяжкості", "залежать від таких чинників: тяжкості"),),
    ),
)  # fmt: skip


@transaction.atomic
def demo_corrections_apply(*, corrections: tuple[Correction, ...] = CORRECTIONS) -> Counter:
    """Apply every correction whose field still holds the earlier demo text, in one revision.

    Returns how many fields were corrected (nothing on a fresh or corrected database).
    """
    pending = _pending(corrections)
    if not pending:
        return Counter()
    with content_revision(REVISION_COMMENT):
        for obj, columns in pending:
            content_save(obj=obj, changed_fields=columns, origin=TranslationState.Origin.SEED)
    corrected = sum(len(columns) for _obj, columns in pending)
    logger.info("Demo content corrections: %d fields corrected", corrected)
    return Counter(corrected_fields=corrected)


def _pending(corrections: tuple[Correction, ...]) -> list[tuple[models.Model, list[str]]]:
    """Each demo object with corrections to apply (set on it, locked), and the columns changed."""
    by_object: dict[tuple[str, str], list[Correction]] = defaultdict(list)
    for correction in corrections:
        by_object[(correction.kind, correction.key)].append(correction)
    pending = []
    for (kind, key), object_corrections in by_object.items():
        label, key_field = DEMO_KEYS[kind]
        obj = apps.get_model(label).objects.select_for_update().filter(**{key_field: key}).first()
        if obj is None:
            continue
        columns = [
            column
            for correction in object_corrections
            if (column := _correct(obj, correction)) is not None
        ]
        if columns:
            pending.append((obj, columns))
    return pending


def _correct(obj: models.Model, correction: Correction) -> str | None:
    """Set the corrected text on ``obj`` and return its column, if the correction applies."""
    column = localized(correction.field, correction.language)
    text = getattr(obj, column)
    if not correction.applies_to(text):
        return None
    if field_statuses(obj, correction.language).get(correction.field) != FieldStatus.CURRENT:
        logger.info("Demo correction of %s left for its translator: the English changed", column)
        return None
    setattr(obj, column, correction.apply(text))
    return column
