import shutil

import polib
import pytest

from clinic.i18n.catalogs import catalog_problems


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
