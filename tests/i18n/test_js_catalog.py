"""The admin's JavaScript strings in Arabic and Ukrainian (locale/<lang>/LC_MESSAGES/djangojs.po).

The set of strings is read from the admin's JavaScript sources (``xgettext``), never
listed by hand: a Django or editor upgrade that brings a new string fails these tests
until ``make messages`` adds it and a translator translates it.
"""

import gettext
import html
import io
import json
import re
import shutil

import polib
import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from clinic.i18n import js_catalog
from clinic.i18n.catalogs import catalog_problems
from tests.factories import ArticleFactory

NPLURALS = {"ar": 6, "uk": 4}


def served_catalog(client, language: str) -> tuple[dict, str]:
    """The catalog and plural formula that ``admin/jsi18n/`` gives the admin's pages."""
    response = client.get(reverse("admin:jsi18n"), headers={"accept-language": language})
    assert response.status_code == 200
    script = response.content.decode()
    catalog = re.search(r"const newcatalog = (\{.*?\});\n", script, re.DOTALL)
    plural = re.search(r"const v = (.*?);\n", script)
    return json.loads(catalog[1]), plural[1]


def catalog_key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


@pytest.fixture(scope="module")
def admin_messages() -> list[polib.POEntry]:
    return [entry for entries in js_catalog.admin_messages().values() for entry in entries]


@pytest.fixture
def locale_copy(tmp_path, settings):
    copy = tmp_path / "locale"
    shutil.copytree(settings.LOCALE_PATHS[0], copy)
    settings.LOCALE_PATHS = [copy]
    return copy


@pytest.fixture
def new_admin_string(tmp_path, monkeypatch):
    """An installed package whose admin script calls gettext with a string nobody translated."""
    package = tmp_path / "newwidget"
    (package / "static" / "newwidget").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "static" / "newwidget" / "widget.js").write_text(
        "'use strict';\nbutton.title = gettext('Pin this panel');\n"
        "label = ngettext('%s pinned panel', '%s pinned panels', count);\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    package_js = js_catalog.JavaScriptPackage("newwidget", ("newwidget/*.js",))
    monkeypatch.setattr(js_catalog, "ADMIN_JAVASCRIPT", (*js_catalog.ADMIN_JAVASCRIPT, package_js))
    return "Pin this panel"


def test_the_admin_strings_are_read_from_the_admin_and_editor_sources(admin_messages):
    found = {entry.msgid for entry in admin_messages}
    # The filter widget, the calendar, the actions bar, the rich-text editor.
    assert {"Choose all %s", "Sunday", "%(sel)s of %(cnt)s selected", "Insert Table"} <= found
    plural = next(entry for entry in admin_messages if entry.msgid == "%(sel)s of %(cnt)s selected")
    assert plural.msgid_plural == "%(sel)s of %(cnt)s selected"
    assert len(found) > 80


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_every_admin_javascript_string_is_served_translated_with_every_plural_form(
    language, admin_client, admin_messages, django_assert_num_queries
):
    # The session, its user and the second factor it was signed in with: the catalog is no query.
    with django_assert_num_queries(3):
        catalog, _plural = served_catalog(admin_client, language)
    untranslated = []
    for entry in admin_messages:
        translated = catalog.get(catalog_key(entry))
        if entry.msgid_plural:
            complete = (
                isinstance(translated, list)
                and len(translated) == NPLURALS[language]
                and all(translated)
            )
        else:
            complete = isinstance(translated, str) and bool(translated)
        if not complete:
            untranslated.append(entry.msgid)
    assert untranslated == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ar", ["اختيار كل %s", "إزالة كل %s", "الأحد", "إدراج جدول"]),
        ("uk", ["Обрати всі %s", "Прибрати всі %s", "Неділя", "Вставити таблицю"]),
    ],
)
def test_the_filter_widget_calendar_and_editor_strings_read_in_the_language(
    language, expected, admin_client
):
    catalog, _plural = served_catalog(admin_client, language)
    keys = ["Choose all %s", "Remove all %s", "Sunday", "Insert Table"]
    assert [catalog[key] for key in keys] == expected


@pytest.mark.parametrize(
    ("language", "count", "form"),
    [
        *[("ar", 0, 0), ("ar", 1, 1), ("ar", 2, 2), ("ar", 5, 3), ("ar", 11, 4), ("ar", 100, 5)],
        *[("uk", 1, 0), ("uk", 3, 1), ("uk", 5, 2), ("uk", 12, 2), ("uk", 21, 0)],
    ],
)
def test_the_served_plural_formula_picks_the_languages_form(language, count, form, admin_client):
    """The project's catalog and Django's share one formula, the language's own."""
    _catalog, plural = served_catalog(admin_client, language)
    assert gettext.c2py(plural)(count) == form


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_the_committed_javascript_catalogs_hold_exactly_what_the_admin_needs(language):
    assert js_catalog.catalog_drift() == []
    catalog = polib.pofile(str(js_catalog.catalog_path(language)))
    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []
    assert catalog.metadata["Plural-Forms"].startswith(f"nplurals={NPLURALS[language]};")


def test_a_new_admin_javascript_string_is_reported_until_the_catalogs_have_it(
    new_admin_string, locale_copy
):
    problems = js_catalog.catalog_drift()
    for language in ["ar", "uk"]:
        assert any(language in problem and new_admin_string in problem for problem in problems)
    js_catalog.update_catalog("ar")
    catalog = polib.pofile(str(locale_copy / "ar" / "LC_MESSAGES" / "djangojs.po"))
    new = catalog.find(new_admin_string)
    assert new is not None and new.msgstr == ""
    assert new.occurrences == [("newwidget/static/newwidget/widget.js", "")]
    plural = catalog.find("%s pinned panel")
    assert sorted(plural.msgstr_plural) == list(range(6))
    assert not any("/ar/" in problem for problem in js_catalog.catalog_drift())


def test_updating_a_catalog_keeps_its_translations_and_drops_what_django_translates(locale_copy):
    path = locale_copy / "uk" / "LC_MESSAGES" / "djangojs.po"
    catalog = polib.pofile(str(path))
    before = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in catalog}
    stray = polib.POEntry(msgid="Today", msgstr="Сьогодні")  # Django's catalog has it
    catalog.append(stray)
    catalog.save(str(path))
    js_catalog.update_catalog("uk")
    after = polib.pofile(str(path))
    assert {(entry.msgctxt, entry.msgid): entry.msgstr for entry in after} == before


def test_a_javascript_catalog_edited_without_compiling_is_reported(locale_copy):
    path = locale_copy / "ar" / "LC_MESSAGES" / "djangojs.po"
    catalog = polib.pofile(str(path))
    catalog.find("Choose all %s").msgstr = "اختر الكل"
    catalog.save(str(path))
    problems = catalog_problems()
    assert len(problems) == 1
    assert "ar/LC_MESSAGES/djangojs.mo is out of date" in problems[0]


def test_a_missing_javascript_catalog_is_reported(locale_copy):
    (locale_copy / "uk" / "LC_MESSAGES" / "djangojs.po").unlink()
    assert any("uk/LC_MESSAGES/djangojs.po is missing" in p for p in catalog_problems())


# Inlines: "Add another …" as one phrase.


def add_another_labels(client, url: str, language: str) -> list[str]:
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200
    data = re.findall(r'data-inline-formset="([^"]+)"', response.content.decode())
    return [json.loads(html.unescape(item))["options"]["addText"] for item in data]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ar", ["إضافة مرجع آخر", "إضافة ملاحظة أخرى"]),
        ("uk", ["Додати ще одне джерело", "Додати ще одну примітку"]),
        ("en", ["Add another reference", "Add another note"]),
    ],
)
def test_the_article_pages_add_another_links_are_grammatical(language, expected, admin_client):
    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert add_another_labels(admin_client, url, language) == expected


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_every_inline_of_the_admin_has_its_own_translated_add_another_label(language, admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    inlines = {  # those that offer "Add another …" (a read-only inline has no such link)
        inline
        for model_admin in admin.site._registry.values()
        for inline in model_admin.get_inlines(request, None)
        if inline(model_admin.model, admin.site).has_add_permission(request, None)
    }
    assert inlines
    for inline in inlines:
        label = getattr(inline, "add_another_label", None)
        assert label, f"{inline.__name__} has no add_another_label"
        with translation.override("en"):
            english = str(label)
        with translation.override(language):
            assert str(label) != english, f"{inline.__name__}: untranslated"


def test_makemessages_js_reports_each_catalog_and_changes_no_translation(locale_copy):
    before = (locale_copy / "ar" / "LC_MESSAGES" / "djangojs.po").read_text()
    out = io.StringIO()
    call_command("makemessages_js", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split("/locale/")[1].split(":")[0] for line in lines] == [
        "ar/LC_MESSAGES/djangojs.po",
        "uk/LC_MESSAGES/djangojs.po",
    ]
    assert all(line.endswith(" 0 untranslated") for line in lines)
    assert (locale_copy / "ar" / "LC_MESSAGES" / "djangojs.po").read_text() == before


def test_makemessages_js_explains_why_it_cannot_read_the_scripts(locale_copy, monkeypatch):
    monkeypatch.setattr(js_catalog, "XGETTEXT", ["xgettext", "--language=NoSuchLanguage"])
    with pytest.raises(CommandError, match=r"JavaScript catalog of ar: xgettext failed: .+"):
        call_command("makemessages_js")


def test_the_ukrainian_calendar_names_its_months_in_the_nominative(admin_client):
    catalog, _plural = served_catalog(admin_client, "uk")
    assert [catalog[month] for month in ["January", "May", "December"]] == [
        "Січень",
        "Травень",
        "Грудень",
    ]


def test_a_correction_of_djangos_translation_is_kept_and_one_of_no_admin_string_is_not(
    locale_copy,
):
    path = locale_copy / "uk" / "LC_MESSAGES" / "djangojs.po"
    catalog = polib.pofile(str(path))
    gone = polib.POEntry(msgid="Not an admin string", msgstr="Не рядок адмінки")
    gone.tcomment = f"{js_catalog.CORRECTION} a string the admin no longer has"
    catalog.append(gone)
    catalog.save(str(path))
    assert any("Not an admin string" in problem for problem in js_catalog.catalog_drift())
    js_catalog.update_catalog("uk")
    updated = polib.pofile(str(path))
    assert updated.find("Not an admin string") is None
    assert updated.find("January").msgstr == "Січень"
    assert js_catalog.catalog_drift() == []
