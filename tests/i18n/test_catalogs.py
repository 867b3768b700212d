import shutil

import polib
import pytest
from django.utils import translation

from articles.models import Topic
from clinic.i18n.catalogs import catalog_problems
from clinic.models import ContactLine
from clinic.reviews.models import Reviewer


@pytest.fixture
def locale_copy(tmp_path, settings):
    copy = tmp_path / "locale"
    shutil.copytree(settings.LOCALE_PATHS[0], copy)
    settings.LOCALE_PATHS = [copy]
    return copy


def test_committed_mo_files_match_their_po_files(locale_copy):
    assert catalog_problems() == []


def test_an_edited_po_without_compiling_is_reported(locale_copy):
    path = locale_copy / "ar" / "LC_MESSAGES" / "django.po"
    catalog = polib.pofile(str(path))
    catalog.find("Contact us", msgctxt="call to action").msgstr = "اتصل بنا"
    catalog.save(str(path))
    problems = catalog_problems()
    assert len(problems) == 1
    assert "ar/LC_MESSAGES/django.mo is out of date" in problems[0]


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_catalogs_are_complete_with_the_right_plural_forms(language, settings):
    catalog = polib.pofile(str(settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / "django.po"))
    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []
    nplurals = {"ar": 6, "uk": 4}[language]
    assert catalog.metadata["Plural-Forms"].startswith(f"nplurals={nplurals};")
    for entry in catalog:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == nplurals
            assert all(entry.msgstr_plural.values())


def verbose_names(language: str) -> dict[str, str]:
    with translation.override(language):
        return {
            "label": str(ContactLine._meta.get_field("label").verbose_name),
            "name": str(Topic._meta.get_field("name").verbose_name),
            "person's name": str(Reviewer._meta.get_field("name").verbose_name),
        }


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_a_label_a_topics_name_and_a_persons_name_are_told_apart(language):
    names = verbose_names(language)
    assert names["label"] != names["name"]
    assert names["label"] != "label"


def test_ukrainian_field_names():
    assert verbose_names("uk") == {"label": "мітка", "name": "назва", "person's name": "ім’я"}


def test_the_ukrainian_language_notice_spells_unavailable_as_one_word():
    with translation.override("uk"):
        notice = translation.pgettext(
            "language notice", "This text is not yet available in your language."
        )
    assert notice == "Цей текст ще недоступний вашою мовою."
