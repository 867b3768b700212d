"""Translators in the browser: download a language's file, upload it back, preview, apply."""

import re

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from translate.storage import xliff

from articles.models import Article, Topic
from clinic.i18n.admin_files import SESSION_KEY
from clinic.i18n.models import TranslationState
from clinic.models import ContactLine, Disclaimer
from tests.factories import TopicFactory, staff, translate
from tests.two_factor import force_sign_in

pytestmark = pytest.mark.django_db

PAGE_URL = reverse("admin:i18n_translationstate_files")
DOWNLOAD_URL = reverse("admin:i18n_translationstate_files_download")
UPLOAD_URL = reverse("admin:i18n_translationstate_files_upload")
APPLY_URL = reverse("admin:i18n_translationstate_files_apply")
MATRIX_URL = reverse("admin:i18n_translationstate_matrix")
NEW_TITLE = "قد يستفيد مرضى التصلب المتعدد التقدمي من العلاج بالخلايا الجذعية"
OLD_TITLE = "قد يستفيد مرضى التصلب المتعدد المترقّي من العلاج بالخلايا الجذعية"


def snapshot() -> list:
    rows = []
    for model in (Article, Topic, ContactLine, Disclaimer, TranslationState):
        rows += [
            repr(sorted(row.items(), key=str)) for row in model.objects.order_by("pk").values()
        ]
    return rows


@pytest.fixture
def arabic_translator(client, demo_content):
    user = staff("Translators: Arabic")
    force_sign_in(client, user)
    return user


def download(client, language="ar", only="all", file_format="po"):
    return client.get(
        DOWNLOAD_URL, {"language": language, "only": only, "file_format": file_format}
    )


def upload(client, content: bytes, name="ar.po", language="ar"):
    return client.post(
        UPLOAD_URL, {"language": language, "file": SimpleUploadedFile(name, content)}
    )


def edited_po(client, **replacements: str) -> bytes:
    """The Arabic PO download with msgstr texts replaced (old → new)."""
    po = polib.pofile(download(client).content.decode())
    for entry in po:
        for old, new in replacements.items():
            entry.msgstr = entry.msgstr.replace(old, new)
    return str(po).encode()


def apply_token(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "the preview offers no Apply button"
    return match.group(1)


# The page and its permissions


def test_matrix_links_translators_to_their_files(client, arabic_translator):
    assert PAGE_URL in client.get(MATRIX_URL).content.decode()


def test_page_offers_only_the_translators_languages(client, arabic_translator):
    response = client.get(PAGE_URL)
    assert response.status_code == 200
    for form in ("download_form", "upload_form"):
        assert response.context[form].fields["language"].choices == [("ar", "Arabic")]


def test_staff_without_a_translation_language_gets_403(client, demo_content):
    force_sign_in(client, staff("Medical reviewers"))
    assert client.get(PAGE_URL).status_code == 403
    assert download(client).status_code == 403


def test_anonymous_users_are_sent_to_the_login(client, demo_content):
    response = client.get(PAGE_URL)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_arabic_translator_cannot_download_ukrainian(client, arabic_translator):
    assert download(client, language="uk").status_code == 403


def test_arabic_translator_cannot_upload_ukrainian_and_nothing_is_kept(client, arabic_translator):
    content = download(client).content
    before = snapshot()
    response = upload(client, content, name="uk.po", language="uk")
    assert response.status_code == 403
    assert SESSION_KEY not in client.session
    assert snapshot() == before


def test_page_in_arabic_is_right_to_left_and_translated(client, arabic_translator):
    response = client.get(PAGE_URL, headers={"accept-language": "ar"})
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl"' in html
    assert "تنزيل ملف للترجمة" in html  # "Download a file to translate"


def test_page_in_ukrainian_is_translated(client, arabic_translator):
    html = client.get(PAGE_URL, headers={"accept-language": "uk"}).content.decode()
    assert "Завантажити файл для перекладу" in html


# Download


def test_download_po_of_the_language(client, arabic_translator):
    response = download(client)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="clinic-content-ar-all.po"'
    po = polib.pofile(response.content.decode())
    assert po.metadata["Language"] == "ar"
    assert len(po) == 17


def test_download_xliff_of_missing_entries(client, arabic_translator):
    topic = TopicFactory(name_en="Clinical trials")
    response = download(client, only="missing", file_format="xliff")
    assert response["Content-Type"] == "application/xliff+xml"
    assert response["Content-Disposition"].endswith('clinic-content-ar-missing.xlf"')
    store = xliff.xlifffile.parsestring(response.content)
    assert [unit.xmlelement.get("id") for unit in store.unit_iter()] == [
        f"articles.topic:{topic.pk}:name"
    ]


def test_bad_download_choice_is_a_400_page(client, arabic_translator):
    response = download(client, file_format="docx")
    assert response.status_code == 400
    assert response.context["download_form"].errors["file_format"]


def test_download_queries_do_not_grow_with_the_content(
    client, arabic_translator, django_assert_max_num_queries
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert download(client).status_code == 200
        return len(queries)

    few = count()
    TopicFactory.create_batch(20)
    assert count() == few
    with django_assert_max_num_queries(few):
        download(client, file_format="xliff")


# Upload: the dry run as a page


def test_upload_queries_do_not_grow_with_the_entries(client, arabic_translator):
    def preview_queries() -> int:
        content = edited_po(client, **{"المترقّي من": "التقدمي من"})
        with CaptureQueriesContext(connection) as queries:
            assert upload(client, content).status_code == 200
        return len(queries)

    few = preview_queries()
    for topic in TopicFactory.create_batch(20):
        translate(topic, "ar", name=f"موضوع {topic.pk}")
    assert preview_queries() == few


def test_upload_shows_each_change_with_a_word_diff_and_writes_nothing(client, arabic_translator):
    content = edited_po(client, **{"المترقّي من": "التقدمي من"})
    before = snapshot()
    response = upload(client, content)
    assert response.status_code == 200
    assert snapshot() == before
    article = Article.objects.get()
    html = response.content.decode()
    [row] = re.findall(r'<tr data-entry="([^"]+)"', html)
    assert row == f"articles.article:{article.pk}:title"
    assert reverse("admin:articles_article_change", args=[article.pk]) in html
    assert "<del>المترقّي</del><ins>التقدمي</ins>" in html
    assert 'class="diff" lang="ar" dir="rtl"' in html
    assert "title_ar" in html
    assert "nothing is written yet" in html
    assert apply_token(response)


def test_upload_lists_conflicts_and_sanitised_html(client, arabic_translator):
    article = Article.objects.get()
    po = polib.pofile(download(client).content.decode())
    po.find(f"articles.article:{article.pk}:title", by="msgctxt").msgstr = NEW_TITLE
    body = po.find(f"articles.article:{article.pk}:body", by="msgctxt")
    body.msgstr += '<img src="x" onerror="alert(1)">'
    article.title_en = "A changed English title"
    article.save()
    response = upload(client, str(po).encode())
    html = response.content.decode()
    assert response.status_code == 200
    conflicts = html[html.index('id="import-conflicts"') :]
    assert f"articles.article:{article.pk}:title" in conflicts[: conflicts.index("</table>")]
    sanitised = html[html.index('id="import-sanitised"') :]
    assert f"articles.article:{article.pk}:body" in sanitised[: sanitised.index("</table>")]
    assert "onerror" not in html


def test_refused_upload_lists_errors_offers_no_apply_and_keeps_nothing(client, arabic_translator):
    article = Article.objects.get()
    content = edited_po(client, **{"20 مريضًا": "25 مريضًا"})
    before = snapshot()
    response = upload(client, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert "was refused: nothing was written" in html
    assert f"articles.article:{article.pk}:summary" in html
    assert "missing number: 20" in html
    assert 'id="apply-form"' not in html
    assert SESSION_KEY not in client.session
    assert snapshot() == before


def test_file_in_another_language_than_chosen_is_refused(client, demo_content):
    user = staff("Editors")  # may translate into both
    force_sign_in(client, user)
    content = download(client, language="uk").content
    response = upload(client, content, name="uk.po", language="ar")
    assert response.status_code == 400
    assert "the file is in “uk”, not “ar” as asked" in response.content.decode()


def test_unreadable_file_is_a_readable_error(client, arabic_translator):
    response = upload(client, b"\xff\xfe not a translation file", name="ar.po")
    assert response.status_code == 400
    assert "the file is not UTF-8" in response.content.decode()


def test_file_over_the_size_limit_is_refused_with_413(client, arabic_translator, settings):
    settings.TRANSLATION_UPLOAD_MAX_BYTES = 1024
    content = download(client).content
    assert len(content) > 1024
    before = snapshot()
    response = upload(client, content)
    assert response.status_code == 413
    assert "files up to 1.0\xa0KB are accepted" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert snapshot() == before


# Apply


def test_apply_writes_the_previewed_changes_recording_user_and_file(client, arabic_translator):
    content = edited_po(client, **{"المترقّي من": "التقدمي من"})
    token = apply_token(upload(client, content, name="ar-reviewed.po"))
    response = client.post(APPLY_URL, {"token": token})
    assert response.status_code == 200
    assert "was applied" in response.content.decode()
    article = Article.objects.get()
    assert article.title_ar == NEW_TITLE
    state = TranslationState.objects.get(
        object_id=article.pk, language="ar", content_type__model="article"
    )
    assert (state.origin, state.origin_detail, state.updated_by) == (
        TranslationState.Origin.IMPORT,
        "ar-reviewed.po",
        arabic_translator,
    )
    assert SESSION_KEY not in client.session


def test_apply_of_an_xliff_upload(client, arabic_translator):
    store = xliff.xlifffile.parsestring(download(client, file_format="xliff").content)
    article = Article.objects.get()
    unit = next(
        u
        for u in store.unit_iter()
        if u.xmlelement.get("id") == f"articles.article:{article.pk}:title"
    )
    unit.target = NEW_TITLE
    token = apply_token(upload(client, bytes(store), name="ar.xlf"))
    assert client.post(APPLY_URL, {"token": token}).status_code == 200
    article.refresh_from_db()
    assert article.title_ar == NEW_TITLE


def test_apply_checks_again_and_skips_what_changed_meanwhile(client, arabic_translator):
    content = edited_po(client, **{"المترقّي من": "التقدمي من"})
    token = apply_token(upload(client, content))
    article = Article.objects.get()
    article.title_en = "An English title changed after the preview"
    article.save()
    response = client.post(APPLY_URL, {"token": token})
    assert f"articles.article:{article.pk}:title" in response.content.decode()
    article.refresh_from_db()
    assert article.title_ar == OLD_TITLE


def test_apply_without_a_waiting_upload_writes_nothing(client, arabic_translator):
    before = snapshot()
    response = client.post(APPLY_URL, {"token": "made-up"})
    assert response.status_code == 302
    assert response["Location"] == PAGE_URL
    assert snapshot() == before


def test_apply_is_refused_when_the_permission_was_withdrawn(client, arabic_translator):
    content = edited_po(client, **{"المترقّي من": "التقدمي من"})
    token = apply_token(upload(client, content))
    arabic_translator.groups.clear()
    # A change of privileges ends the user's sessions: signed in again, still without it.
    force_sign_in(client, arabic_translator)
    before = snapshot()
    assert client.post(APPLY_URL, {"token": token}).status_code == 403
    assert snapshot() == before


def test_problems_are_reported_in_the_language_of_the_admin(client, arabic_translator):
    response = client.post(
        UPLOAD_URL,
        {"language": "ar", "file": SimpleUploadedFile("ar.po", b"\xff not UTF-8")},
        headers={"accept-language": "ar"},
    )
    assert response.status_code == 400
    assert "الملف ليس بترميز UTF-8 (البايت 0)" in response.content.decode()
