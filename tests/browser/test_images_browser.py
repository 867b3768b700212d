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
from tests.factories import ArticleFactory, image_upload, translate
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
