"""Uploading and editing images in the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clinic.i18n.state import get_states
from clinic.images.models import Image
from tests.factories import image_upload, make_image

pytestmark = pytest.mark.django_db

ADD = "/admin/images/image/add/"


def form(**fields) -> dict:
    return {
        "alt_text_en": "A nerve cell",
        "focal_x": "0.5",
        "focal_y": "0.5",
        "translation_status_ar": "draft",
        "translation_status_uk": "draft",
        **fields,
    }


def test_an_editor_uploads_an_image_with_alt_text_in_arabic(admin_client):
    response = admin_client.post(
        ADD,
        form(
            upload=image_upload(1200, 800),
            alt_text_ar="خلية عصبية",
            translation_status_ar="published",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    image = Image.objects.get()
    assert image.alt_text_ar == "خلية عصبية"
    assert get_states(image)["ar"].status == "published"
    assert image.original.name == f"images/{image.key}/original.jpg"
    assert len(image.renditions) == 3 * 2 * 2 + 2 * 2  # 480, 960, 1200 own; 480, 960 crops


def test_the_form_shows_the_arabic_input_right_to_left(admin_client):
    page = admin_client.get(ADD).content.decode()
    assert 'name="alt_text_ar"' in page
    tag = page[page.index('name="alt_text_ar"') - 300 : page.index('name="alt_text_ar"') + 300]
    assert 'dir="rtl"' in tag and 'lang="ar"' in tag
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "SVG images"),
        (SimpleUploadedFile("a.jpg", b"not an image"), "not a JPEG, PNG or WebP"),
        (None, "Choose the image file"),
    ],
)
def test_a_refused_upload_is_explained_and_nothing_is_saved(admin_client, upload, message):
    data = form(upload=upload) if upload else form()
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists()


def test_an_image_needs_alt_text_or_the_decorative_mark(admin_client):
    response = admin_client.post(ADD, form(upload=image_upload(), alt_text_en=""))
    assert "or mark it decorative" in response.content.decode()
    response = admin_client.post(ADD, form(upload=image_upload(), alt_text_en="", decorative="on"))
    assert response.status_code == 302


def test_moving_the_focal_point_makes_new_crops(admin_client):
    from tests.admin_forms import admin_form_data

    image = make_image()
    url = f"/admin/images/image/{image.pk}/change/"
    page = admin_client.get(url)
    assert f"/media/images/{image.key}/original.jpg" in page.content.decode()
    response = admin_client.post(url, admin_form_data(page, focal_x="0.1"))
    assert response.status_code == 302
    image.refresh_from_db()
    crops = {r["name"] for r in image.renditions if r["ratio"]}
    assert crops and all("-0-0-" in name for name in crops if "1x1" in name)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ar", "صور SVG غير مقبولة: ارفع صورة بصيغة JPEG أو PNG أو WebP."),
        ("uk", "Зображення SVG не приймаються: завантажте зображення JPEG, PNG або WebP."),
    ],
)
def test_refusals_are_in_the_editors_language(admin_client, language, message):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    svg = SimpleUploadedFile("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    response = admin_client.post(ADD, form(upload=svg))
    assert message in response.content.decode()


def test_the_pixel_limit_is_written_the_ukrainian_way(admin_client, settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "uk"
    response = admin_client.post(ADD, form(upload=image_upload(1200, 900)))
    assert "Зображення має понад 1\xa0000\xa0000 пікселів." in response.content.decode()
