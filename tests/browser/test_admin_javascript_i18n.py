"""The admin's JavaScript speaks Arabic and Ukrainian, in a real browser.

What the admin's scripts write into the page (the filter widget, the calendar and clock,
the inlines' "Add another" link, the rich-text editor's toolbar) comes from
``admin/jsi18n/``: Django's catalog completed by ``locale/<lang>/LC_MESSAGES/djangojs.po``.
The English strings looked for are read from the admin's JavaScript sources, as the
catalogs are.

Run with ``.ci/browser`` (``pytest -m browser tests/browser``); skipped without chromium.
"""

import gettext
import json
import re

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.utils import translation
from django.views.i18n import JSONCatalog

from articles.models import Article
from clinic.i18n import js_catalog
from tests.browser.conftest import CHROMIUM, CHROMIUM_MISSING, sign_in
from tests.factories import ArticleFactory, ContactLineFactory, ReferenceFactory, TopicFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "browser-test-password-1"  # a throwaway test user
LATIN = re.compile(r"[A-Za-z]")
PLACEHOLDER = re.compile(r"%\(\w+\)s|%s")

#: Where the admin's scripts write: filter widgets, calendar and clock, inlines' add and
#: delete links, the actions bar, the rich-text editor.
SCRIPTED = (
    ".selector, .calendarbox, .clockbox, .datetimeshortcuts, .add-row, .inline-deletelink, "
    ".actions, .prose-editor"
)
#: The text and the labels those parts show (typed content, <select> options excepted).
SHOWN_TEXT = """(selector) => {
    const shown = [];
    for (const root of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const node = walker.currentNode;
            if (!node.parentElement.closest("select, textarea, .ProseMirror")) {
                shown.push(node.textContent);
            }
        }
        for (const element of [root, ...root.querySelectorAll("*")]) {
            for (const name of ["title", "aria-label", "placeholder", "alt"]) {
                const value = element.getAttribute(name);
                if (value) shown.push(value);
            }
        }
    }
    return shown;
}"""
#: What the page's gettext functions return for each message (plurals: for each count).
TRANSLATED_IN_PAGE = """([messages, counts]) => messages.map(([context, id, plural]) => plural
    ? counts.map((n) => context ? npgettext(context, id, plural, n) : ngettext(id, plural, n))
    : [context ? pgettext(context, id) : gettext(id)])"""
#: How the calendar's heading names a month (Ukrainian: the nominative, not Django's genitive).
MONTHS = {
    "ar": [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
    "uk": [
        "Січень",
        "Лютий",
        "Березень",
        "Квітень",
        "Травень",
        "Червень",
        "Липень",
        "Серпень",
        "Вересень",
        "Жовтень",
        "Листопад",
        "Грудень",
    ],
}
#: A count for each plural form of the language.
COUNTS = {"ar": [0, 1, 2, 5, 11, 100], "uk": [1, 3, 5, 21, 12]}


@pytest.fixture(scope="module")
def admin_messages():
    return [entry for entries in js_catalog.admin_messages().values() for entry in entries]


def english_phrases(messages) -> set[str]:
    """The literal English of each admin JavaScript string (``%s`` cut out), 3+ letters."""
    phrases = set()
    for entry in messages:
        for text in (entry.msgid, entry.msgid_plural):
            for part in PLACEHOLDER.split(text or ""):
                part = part.strip(" .:")
                if len(re.sub(r"[^A-Za-z]", "", part)) >= 3:
                    phrases.add(part)
    return phrases


def catalog_key(entry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


@pytest.fixture
def superuser(transactional_db) -> User:
    return User.objects.create_superuser("admin-i18n", "admin-i18n@example.org", PASSWORD)


@pytest.fixture
def article(transactional_db) -> Article:
    topics = [TopicFactory(name_en="Multiple sclerosis"), TopicFactory(name_en="Stem cells")]
    article = ArticleFactory(topics=topics)
    ReferenceFactory(article=article)
    return article


def log_in(page, user: User) -> None:
    sign_in(page, user.username, PASSWORD)


def assert_no_english_from_the_admin_scripts(page, messages) -> None:
    """No text the scripts show holds the English of an admin string: a phrase of several
    words anywhere, a single word as the whole text (the editor's own untranslatable
    tooltips, "Insert table", are not a gettext string's "Insert")."""
    shown = [text.strip() for text in page.evaluate(SHOWN_TEXT, SCRIPTED) if text.strip()]
    english = sorted(
        {
            phrase
            for phrase in english_phrases(messages)
            for text in shown
            if (phrase in text if " " in phrase else phrase == text)
        }
    )
    assert english == [], f"{page.url}: English from the admin's scripts: {english}\n{shown}"


def served_catalog(language: str) -> dict:
    """The admin's catalog as ``admin/jsi18n/`` builds it (Django's and the project's)."""
    view = JSONCatalog.as_view(packages=["django.contrib.admin"])
    with translation.override(language):
        return json.loads(view(RequestFactory().get("/")).content)


def assert_catalog_complete_in_page(page, messages, language: str) -> None:
    """The page's gettext gives every admin string its translation, in every plural form."""
    served = served_catalog(language)
    catalog, plural = served["catalog"], gettext.c2py(served["plural"])
    counts = COUNTS[language]
    found = page.evaluate(
        TRANSLATED_IN_PAGE,
        [[[entry.msgctxt, entry.msgid, entry.msgid_plural or None] for entry in messages], counts],
    )
    wrong = []
    for entry, results in zip(messages, found, strict=True):
        translated = catalog.get(catalog_key(entry))
        if entry.msgid_plural:
            expected = [translated[plural(n)] if translated else None for n in counts]
            assert translated and all(translated), entry.msgid
        else:
            expected = [translated]
            assert translated, entry.msgid
        if results != expected:
            wrong.append((entry.msgid, results))
    assert wrong == [], f"{page.url}: the page's gettext does not translate: {wrong}"


@pytest.mark.parametrize(
    ("locale", "choose_all", "add_another"),
    [
        ("ar", "اختيار كل ", ["إضافة مرجع آخر", "إضافة ملاحظة أخرى"]),
        ("uk", "Обрати всі ", ["Додати ще одне джерело", "Додати ще одну примітку"]),
    ],
)
def test_the_article_page_has_no_english_from_the_admins_scripts(
    locale, choose_all, add_another, open_page, superuser, article, admin_messages
):
    page, problems = open_page(locale=locale)
    log_in(page, superuser)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    assert page.locator("html").get_attribute("lang") == locale

    with translation.override(locale):
        topics = str(Article._meta.get_field("topics").verbose_name)
    assert page.locator("#id_topics_add_all").inner_text().strip() == f"{choose_all}{topics}"
    assert_catalog_complete_in_page(page, admin_messages, locale)

    # The calendar: month and day names.
    page.locator(".datetimeshortcuts a[id^=calendarlink]").first.click()
    calendar = page.locator(".calendarbox").first
    assert calendar.is_visible()
    caption = calendar.locator("caption").text_content()  # as written, not CSS-uppercased
    assert caption.split()[0] in MONTHS[locale]
    headings = [caption, *calendar.locator("th").all_inner_texts()]
    assert [text for text in headings if LATIN.search(text)] == []
    page.keyboard.press("Escape")

    assert [text.strip() for text in page.locator(".add-row a").all_inner_texts()] == add_another
    assert_no_english_from_the_admin_scripts(page, admin_messages)
    problems.assert_clean()


@pytest.mark.parametrize("locale", ["ar", "uk"])
def test_the_contact_line_and_matrix_pages_have_no_english_from_the_admins_scripts(
    locale, open_page, superuser, article, admin_messages
):
    contact_line = ContactLineFactory()
    page, problems = open_page(locale=locale)
    log_in(page, superuser)

    page.goto(f"/admin/clinic/contactline/{contact_line.pk}/change/")
    assert page.locator("html").get_attribute("lang") == locale
    assert_catalog_complete_in_page(page, admin_messages, locale)
    assert_no_english_from_the_admin_scripts(page, admin_messages)

    page.goto("/admin/i18n/translationstate/matrix/")
    assert page.locator("html").get_attribute("lang") == locale
    assert_no_english_from_the_admin_scripts(page, admin_messages)

    page.goto("/admin/articles/article/")  # the actions bar: "0 of 1 selected"
    assert_catalog_complete_in_page(page, admin_messages, locale)
    page.locator("input.action-select").first.check()
    counter = page.locator(".action-counter").inner_text()
    assert not LATIN.search(counter), counter
    assert_no_english_from_the_admin_scripts(page, admin_messages)
    problems.assert_clean()
