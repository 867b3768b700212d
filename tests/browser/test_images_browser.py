"""The media library in a real browser: an image uploaded, its Arabic alternative text written
right to left and published, the article's Arabic version then published with it, and the
Arabic API serving it.

Run with ``.ci/browser`` or ``make test-browser``; skipped when ``/usr/bin/chromium`` is missing.
"""

from io import BytesIO

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from PIL import Image as PillowImage

from articles.models import Article
from clinic.images.models import Image
from clinic.models import Disclaimer
from tests.browser.conftest import CHROMIUM, CHROMIUM_MISSING, sign_in
from tests.factories import ArticleFactory, image_upload, make_image, translate
from tests.images.test_uploads import GPS_IFD, exif_with_gps

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
    pytest.mark.urls("tests.browser.media_urls"),
]

PASSWORD = "browser-test-password-1"  # a throwaway test user
ALT_EN = "Stem cells beside a nerve fibre"
ALT_AR = "خلايا جذعية بجانب ليف عصبي"


@pytest.fixture
def article(transactional_db, settings):
    """Published in English; its Arabic translation written but not yet published."""
    settings.MEDICAL_REVIEW_REQUIRED = False  # review in the admin is tested elsewhere
    disclaimer = Disclaimer.objects.create(
        key="treatment-results",
        applies_to=Disclaimer.AppliesTo.ARTICLES,
        text_en="Treatment results are individual for each clinical case.",
    )
    translate(disclaimer, "ar", text="نتائج العلاج فردية لكل حالة سريرية.")
    article = ArticleFactory(title_en="Stem cells in progressive MS", summary_en="Stem cells.")
    return translate(article, "ar", publish=False, title="الخلايا الجذعية", summary="خلايا.")


def save(page) -> None:
    with page.expect_navigation():
        page.click("input[name=_save]")


def test_an_image_with_arabic_alt_text_is_uploaded_published_and_served(
    open_page, live_server, article, tmp_path
):
    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(image_upload(1700, 1000, exif=exif_with_gps()).read())
    page, problems = open_page(locale="en-US")
    sign_in(page, "editor", PASSWORD)

    # Upload, with its English alternative text only.
    page.goto("/admin/images/image/add/")
    page.set_input_files("#id_upload", str(photo))
    page.click('a[href="#tab_id_alt_text_en"]')
    page.fill("#id_alt_text_en", ALT_EN)
    save(page)
    assert "was added successfully" in page.locator(".messagelist").inner_text()
    image = Image.objects.get()
    with default_storage.open(image.original.name) as original:
        assert not PillowImage.open(BytesIO(original.read())).getexif().get_ifd(GPS_IFD)

    # The article shows it; its Arabic version may not go live without Arabic alt text.
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.select_option("#id_lead_image", str(image.pk))
    page.select_option("select[name=translation_status_ar]", "published")
    save(page)
    assert "has no alternative text in Arabic" in page.locator(".errorlist").all_inner_texts()[0]

    # The Arabic alternative text, typed right to left, and published.
    page.goto(f"/admin/images/image/{image.pk}/change/")
    page.locator("img[src*='/media/images/']").first.wait_for()  # the preview is served
    page.click('a[href="#tab_id_alt_text_ar"]')
    field = page.locator("#id_alt_text_ar")
    assert field.get_attribute("dir") == "rtl"
    assert field.evaluate("element => getComputedStyle(element).direction") == "rtl"
    field.fill(ALT_AR)
    page.select_option("select[name=translation_status_ar]", "published")
    save(page)
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    # Now the article's Arabic version goes live, with the image.
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.select_option("#id_lead_image", str(image.pk))
    page.select_option("select[name=translation_status_ar]", "published")
    save(page)
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    assert Article.objects.get().lead_image_id == image.pk

    served = page.request.get("/api/v1/articles/?lang=ar").json()["results"][0]
    assert served["language"] == "ar"
    assert served["image"]["alt_text"] == ALT_AR
    assert (served["image"]["language"], served["image"]["dir"]) == ("ar", "rtl")
    assert served["image"]["translation"]["fallback_fields"] == []
    picture = page.request.get(served["image"]["src"])
    assert picture.status == 200 and picture.headers["content-type"] == "image/jpeg"
    problems.assert_clean()


def test_the_body_editor_inserts_a_library_image_and_nothing_else(
    open_page, live_server, transactional_db, settings
):
    settings.ARTICLE_REQUIRED_DISCLAIMERS = []
    image = make_image(alt_text_en=ALT_EN)
    translate(image, "ar", alt_text=ALT_AR)
    article = ArticleFactory(title_en="Stem cells in progressive MS", body_en="<p>Results.</p>")
    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    page, problems = open_page(locale="en-US")
    sign_in(page, "editor", PASSWORD)
    page.goto(f"/admin/images/image/{image.pk}/change/")
    address = page.locator(".field-address code").inner_text()
    assert address == f"/media/images/{image.key}/original.jpg"

    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.click('a[href="#tab_id_body_en"]')
    for url, alt in [(address, "typed in the editor"), ("https://tracker.example/x.png", "")]:
        # The cursor at the end of the first paragraph (not on a figure: that would edit it).
        page.locator('#tab_id_body_en .ProseMirror[contenteditable="true"] p').first.click()
        page.keyboard.press("End")
        page.locator('#tab_id_body_en .prose-menubar__button[data-name="figure"]').click()
        dialog = page.locator("dialog[open]")
        dialog.locator("input[name=imageUrl]").fill(url)
        dialog.locator("input[name=altText]").fill(alt)
        dialog.locator("button[type=submit]").click()
    save(page)
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    body = Article.objects.get().body_en
    assert f'<img src="{address}">' in body  # the library's image, its address alone
    assert "tracker.example" not in body and "typed in the editor" not in body
    served = page.request.get(f"/api/v1/articles/{article.slug_en}/?lang=ar").json()
    assert f'alt="{ALT_AR}"' in served["body"] and "<picture>" in served["body"]
    assert [item["id"] for item in served["body_images"]] == [str(image.key)]
    # While it was in the editor, the foreign image was not loaded: the admin's CSP blocked it.
    blocked = [error for error in problems.console_errors if "tracker.example" in error]
    assert blocked and "Content Security Policy" in blocked[0]
    problems.console_errors = [e for e in problems.console_errors if e not in blocked]
    problems.foreign_requests = [u for u in problems.foreign_requests if "tracker" not in u]
    problems.assert_clean()
