"""A translator without a shell: download a file in the admin, translate it, upload, apply.

Chromium downloads a PO file and an XLIFF file from the translation files page,
the test edits them as Poedit or a CAT tool would, uploads them, reads the
preview, applies, and the API serves the new text. Skipped without
``/usr/bin/chromium`` (see ``tests/browser/conftest.py``).
"""

import re

import polib
import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from translate.storage import xliff

from articles.models import Article
from clinic.demo import demo_content_load
from clinic.i18n.models import TranslationState
from clinic.permissions import sync_staff_groups
from tests.browser.conftest import CHROMIUM, CHROMIUM_MISSING, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "browser-test-password-2"  # a throwaway test user
OLD_WORD, NEW_WORD = "معظمهم", "أغلبهم"  # "most of them", in the article's Arabic summary
NEW_TITLE = "قد يستفيد مرضى التصلب المتعدد التقدمي من العلاج بالخلايا الجذعية"


@pytest.fixture
def arabic_translator(transactional_db) -> User:
    """A user of the "Translators: Arabic" group, with the demo content to translate.

    A transactional test empties the database when it ends, groups included: they
    are made again as ``migrate`` makes them.
    """
    sync_staff_groups(apps)
    demo_content_load()
    user = User.objects.create_user("translator-ar", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Translators: Arabic"))
    return user


def log_in(page, user: User) -> None:
    sign_in(page, user.username, PASSWORD, next_path="/admin/i18n/translationstate/matrix/")


def download(page, tmp_path, file_format: str):
    page.check(f"#download-form input[name=file_format][value={file_format}]")
    with page.expect_download() as info:
        page.click("#download-form [type=submit]")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def upload_and_preview(page, path) -> None:
    page.set_input_files("#id_file", str(path))
    page.click("#upload-form [type=submit]")
    page.locator("#import-changes").wait_for()


def served_article(page) -> dict:
    response = page.request.get("/api/v1/articles/?lang=ar")
    assert response.status == 200, response.text()
    [article] = response.json()["results"]
    return article


def test_translator_downloads_edits_and_uploads_po_then_xliff(
    open_page, live_server, arabic_translator, tmp_path
):
    page, problems = open_page()
    log_in(page, arabic_translator)
    article = Article.objects.get()

    # From the matrix to the files page.
    page.click("a.translation-files-link")
    page.wait_for_url(re.compile(r"/matrix/files/$"))

    # PO: download every entry, translate in a PO editor (here: polib), upload.
    po_path = download(page, tmp_path, "po")
    assert po_path.name == "clinic-content-ar-all.po"
    po = polib.pofile(str(po_path))
    summary = po.find(f"articles.article:{article.pk}:summary", by="msgctxt")
    assert OLD_WORD in summary.msgstr
    summary.msgstr = summary.msgstr.replace(OLD_WORD, NEW_WORD)
    po.save(str(po_path))
    upload_and_preview(page, po_path)

    # The preview names the change and shows the word diff; nothing is written yet.
    row = page.locator(f'#import-changes tr[data-entry="articles.article:{article.pk}:summary"]')
    assert row.locator("del").inner_text() == OLD_WORD
    assert row.locator("ins").inner_text() == NEW_WORD
    assert row.locator("td.diff").evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert OLD_WORD in served_article(page)["summary"]

    page.click("#apply-form [type=submit]")
    page.locator("#import-report-title", has_text="was applied").wait_for()
    assert NEW_WORD in served_article(page)["summary"]
    state = TranslationState.objects.get(
        object_id=article.pk, language="ar", content_type__model="article"
    )
    assert (state.origin_detail, state.updated_by) == (po_path.name, arabic_translator)

    # XLIFF: download, translate in a CAT tool (here: translate-toolkit), upload.
    xliff_path = download(page, tmp_path, "xliff")
    assert xliff_path.suffix == ".xlf"
    store = xliff.xlifffile.parsefile(str(xliff_path))
    [title] = [
        unit
        for unit in store.unit_iter()
        if unit.xmlelement.get("id") == f"articles.article:{article.pk}:title"
    ]
    title.target = NEW_TITLE
    title.set_state_n(title.statemap["translated"])
    xliff_path.write_bytes(bytes(store))
    upload_and_preview(page, xliff_path)
    assert page.locator("#import-changes tbody tr").count() == 1
    page.click("#apply-form [type=submit]")
    page.locator("#import-report-title", has_text="was applied").wait_for()
    assert served_article(page)["title"] == NEW_TITLE

    problems.assert_clean()


def test_the_page_in_arabic_reads_right_to_left(open_page, live_server, arabic_translator):
    page, problems = open_page(locale="ar")
    log_in(page, arabic_translator)
    page.goto("/admin/i18n/translationstate/matrix/files/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#download-title").inner_text() == "تنزيل ملف للترجمة"
    heading = page.locator("#download-title")
    assert heading.evaluate("e => getComputedStyle(e).direction") == "rtl"
    problems.assert_clean()
