"""The demo content's Arabic and Ukrainian wording, as the medical translation review settled it."""

import json
import re

import pytest

from articles.models import Article, Topic
from clinic.demo import DEMO_CONTENT
from clinic.i18n.services import translation_invariant_problems
from clinic.models import ContactLine, Disclaimer

SEED = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))


def seed_texts(language: str, node=SEED) -> list[str]:
    """Every text of the seed in ``language`` (a body paragraph is one text)."""
    if isinstance(node, list):
        return [text for item in node for text in seed_texts(language, item)]
    if not isinstance(node, dict):
        return []
    if language in node:
        value = node[language]
        return value if isinstance(value, list) else [value]
    return [text for value in node.values() for text in seed_texts(language, value)]


def seed_text(*path: str | int) -> str | list[str]:
    node = SEED
    for key in path:
        node = node[key]
    return node


# (language, the reviewed wording, where it must be, the wording it replaced)
REVIEWED = [
    ("ar", "عجز راسخ (النطاق: 3.5-8.5)", ("article", "body_paragraphs", "ar", 2), "عجز ثابت"),
    (
        "ar",
        "اختبار الجمع التسلسلي السمعي محدَّد الإيقاع (PASAT)",
        ("article", "body_paragraphs", "ar", 5),
        "المُوقَّت",
    ),
    ("ar", "تغيّرٌ في درجة EDSS أقل من 1 نقطة", ("article", "body_paragraphs", "ar", 2), "بأقل"),
    ("ar", ": نتائج تجربة المرحلة 1", ("article", "seo_title", "ar"), "نتائج المرحلة"),
    ("ar", "خط باللغة العربية", ("contact_lines", 1, "label", "ar"), "الخط الناطق بالعربية"),
    ("uk", "(діапазон: 3,5–8,5)", ("article", "body_paragraphs", "uk", 2), "3.5-8.5"),
    (
        "uk",
        "здатного зменшити інвалідизацію",
        ("article", "body_paragraphs", "uk", 1),
        "спричинити регрес",
    ),
    ("uk", "стабільним обсягом уражень", ("article", "body_paragraphs", "uk", 2), "навантаженням"),
    ("uk", "на одну ін’єкцію", ("article", "body_paragraphs", "uk", 3), "за одну ін’єкцію"),
    (
        "uk",
        "Автор дослідження, д-р Садік, організував",
        ("article", "body_paragraphs", "uk", 1),
        "Автор дослідження д-р",
    ),
    (
        "uk",
        "залежать від таких чинників: тяжкості",
        ("disclaimers", 0, "text", "uk"),
        "залежать від:",
    ),
    ("uk", "Лінія арабською мовою", ("contact_lines", 1, "label", "uk"), "Арабськомовна"),
    ("uk", "Мобільний номер", ("contact_lines", 0, "label", "uk"), "Мобільна лінія"),
]


@pytest.mark.parametrize(("language", "wording", "where", "replaced"), REVIEWED)
def test_the_reviewed_wording_is_used_and_the_old_one_is_gone(language, wording, where, replaced):
    assert wording in seed_text(*where)
    assert not [text for text in seed_texts(language) if replaced in text]


def test_autologous_is_dhatiyat_al_mansha_in_every_arabic_field():
    fields = [text for text in seed_texts("ar") if "ذاتية" in text]
    assert len(fields) == 5  # summary, two body paragraphs, SEO description, intervention
    assert all(text.count("ذاتية") == text.count("ذاتية المنشأ") for text in fields)
    assert not [text for text in seed_texts("ar") if "الذاتية" in text]


def test_neural_progenitors_are_progenitor_cells_in_every_ukrainian_field():
    fields = [text for text in seed_texts("uk") if "попередник" in text]
    assert len(fields) == 6  # summary, three body paragraphs, SEO description, intervention
    for text in fields:
        assert text.count("попередник") == len(re.findall(r"клітин[иа]?-попередник", text))


def test_arabic_number_ranges_keep_the_ascii_hyphen():
    """An en dash between digits displays reversed in a right-to-left run."""
    assert "3.5-8.5" in seed_text("article", "body_paragraphs", "ar", 2)
    assert not [text for text in seed_texts("ar") if re.search(r"\d\s*[\u2010-\u2015]\s*\d", text)]


def test_ukrainian_numbers_use_the_decimal_comma_and_an_en_dash_range():
    assert not [text for text in seed_texts("uk") if re.search(r"\d[.]\d|\d-\d", text)]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "uk"])
def test_the_loaded_translations_pass_the_invariant_check(demo_content, language):
    for model in (Article, Topic, ContactLine, Disclaimer):
        for obj in model.objects.all():
            assert translation_invariant_problems(obj, language) == [], obj
