"""Alt text, captions and credits are translated content: PO exchange, staleness,
completeness, the matrix and the publishing gate all count them."""

import io

import polib
import pytest
from django.core.management import call_command

from articles.services import article_going_live_problems, article_translation_problems
from clinic.i18n.completeness import completeness
from clinic.i18n.matrix import matrix_page
from clinic.i18n.models import TranslationState
from clinic.i18n.services import content_save
from clinic.i18n.state import FieldStatus, field_statuses
from clinic.images.models import Image
from tests.admin_forms import admin_form_data
from tests.factories import ArticleFactory, make_image, translate

pytestmark = pytest.mark.django_db

ALT_EN = "Stem cells beside a nerve fibre"
ALT_AR = "خلايا جذعية بجانب ليف عصبي"


@pytest.fixture(autouse=True)
def _no_review_needed(settings):
    settings.MEDICAL_REVIEW_REQUIRED = False


@pytest.fixture
def image():
    return make_image(alt_text_en=ALT_EN, caption_en="An illustration")


def export(tmp_path, language="ar", *args) -> tuple[polib.POFile, str]:
    path = tmp_path / f"{language}.po"
    call_command("export_translations", language, "-o", str(path), *args, stderr=io.StringIO())
    return polib.pofile(str(path)), str(path)


def entry(po: polib.POFile, image: Image, field: str) -> polib.POEntry:
    return po.find(f"images.image:{image.pk}:{field}", by="msgctxt")


# PO exchange and staleness


def test_alt_text_and_caption_are_exported_for_translators(image, tmp_path):
    po, _path = export(tmp_path)
    assert entry(po, image, "alt_text").msgid == ALT_EN
    assert entry(po, image, "caption").msgid == "An illustration"
    assert entry(po, image, "credit") is None  # no English text: nothing to translate


def test_an_imported_alt_text_is_current_and_recorded_as_imported(image, tmp_path):
    po, path = export(tmp_path)
    entry(po, image, "alt_text").msgstr = ALT_AR
    po.save(path)
    call_command("import_translations", path, stdout=io.StringIO())
    image = Image.objects.get(pk=image.pk)
    assert image.alt_text_ar == ALT_AR
    assert field_statuses(image, "ar")["alt_text"] == FieldStatus.CURRENT
    state = image.translation_states.get(language="ar")
    assert state.origin == TranslationState.Origin.IMPORT


def test_a_changed_english_alt_text_makes_the_translation_stale_and_fuzzy(image, tmp_path):
    translate(image, "ar", alt_text=ALT_AR)
    image.alt_text_en = "Stem cells beside a damaged nerve fibre"
    content_save(obj=image, changed_fields=["alt_text_en"])
    assert field_statuses(image, "ar")["alt_text"] == FieldStatus.STALE
    po, _path = export(tmp_path, "ar", "--only", "stale")
    stale = entry(po, image, "alt_text")
    assert stale.fuzzy and stale.previous_msgid == ALT_EN and stale.msgstr == ALT_AR


def test_completeness_and_the_matrix_count_alt_texts(image):
    assert completeness(Image, "ar").as_dict() == {
        "percent": 0.0,
        "current": 0,
        "stale": 0,
        "missing": 2,
        "total": 2,
    }
    translate(image, "ar", alt_text=ALT_AR)
    assert completeness(Image, "ar").current == 1
    rows = matrix_page(content_models=[Image], language="ar").object_list
    assert [cell.missing for cell in rows[0].cells] == [("caption",)]


def test_the_languages_endpoint_counts_images(api, image):
    translate(image, "ar", alt_text=ALT_AR)
    figures = api.get_json("/api/v1/languages/").json()
    arabic = next(language for language in figures if language["code"] == "ar")
    assert arabic["completeness"]["images"]["current"] == 1
    assert arabic["completeness"]["images"]["missing"] == 1


# The publishing gate


def test_an_arabic_version_waits_for_the_lead_images_arabic_alt_text(image):
    article = ArticleFactory(title_en="Stem cells", lead_image=image)
    translate(article, "ar", title="تقرير", publish=False)
    assert article_translation_problems(article, "ar", []) == [
        f"The image “{ALT_EN}” has no alternative text in Arabic."
    ]
    translate(image, "ar", alt_text=ALT_AR, publish=False)
    assert article_translation_problems(article, "ar", []) == [
        f"The Arabic text of the image “{ALT_EN}” is not published."
    ]
    translate(image, "ar", alt_text=ALT_AR)
    assert article_translation_problems(article, "ar", []) == []


def test_a_stale_alt_text_blocks_publishing(image):
    article = ArticleFactory(title_en="Stem cells", lead_image=image)
    translate(image, "ar", alt_text=ALT_AR)
    image.alt_text_en = "Stem cells beside a damaged nerve fibre"
    content_save(obj=image, changed_fields=["alt_text_en"])
    assert article_translation_problems(article, "ar", []) == [
        "The Arabic alternative text of the image “Stem cells beside a damaged nerve fibre” "
        "is stale: the English changed."
    ]


def test_images_in_the_body_are_gated_too(image):
    article = ArticleFactory(
        title_en="Stem cells", body_en=f'<p>x</p><img src="/media/images/{image.key}/480w.jpg">'
    )
    assert article_translation_problems(article, "uk", []) == [
        f"The image “{ALT_EN}” has no alternative text in Ukrainian."
    ]


def test_a_decorative_image_needs_no_alt_text():
    article = ArticleFactory(lead_image=make_image(alt_text_en="", decorative=True))
    assert article_translation_problems(article, "ar", []) == []
    assert article_going_live_problems(article, []) == [
        "Attach the “treatment-results” disclaimer before publishing."
    ]


def test_an_image_needs_english_alt_text_unless_decorative():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        make_image(alt_text_en="")
    assert "alt_text_en" in refused.value.message_dict


def test_the_admin_refuses_to_publish_the_arabic_version(admin_client, image):
    article = ArticleFactory(title_en="Stem cells", lead_image=image)
    translate(article, "ar", title="تقرير", publish=False)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = admin_form_data(admin_client.get(url), translation_status_ar="published")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "has no alternative text in Arabic" in response.content.decode()
