"""Library images in the API: lead and body images in every language, fallback, cost."""

import pytest

from clinic.html import sanitize_html
from clinic.i18n.models import TranslationState
from tests.factories import ArticleFactory, make_image, translate
from tests.schema_org_check import check_schema_org

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
ALT = {
    "en": "Stem cells beside a nerve fibre",
    "ar": "خلايا جذعية بجانب ليف عصبي",
    "uk": "Стовбурові клітини поруч із нервовим волокном",
}


@pytest.fixture
def image():
    """1700 × 1000 px: every width (480, 960, 1600) and both crops."""
    from tests.factories import image_upload

    return make_image(
        upload=image_upload(1700, 1000),
        alt_text_en=ALT["en"],
        caption_en="Illustration made by the project",
        credit_en="The project, CC0 1.0",
        license_url="https://creativecommons.org/publicdomain/zero/1.0/",
    )


@pytest.fixture
def article(image):
    article = ArticleFactory(title_en="Stem cells in progressive MS", lead_image=image)
    translate(article, "ar", title="الخلايا الجذعية", summary="ملخص")
    translate(article, "uk", title="Стовбурові клітини", summary="Підсумок")
    return article


def detail(api, article, language):
    return api.get_json(f"{LIST}{article.slug_en}/", lang=language).json()


def test_the_lead_image_is_in_the_list_as_a_card_and_whole_in_the_detail(api, article, image):
    """A list item shows the card's crop (16:9): the detail's text, one shape, fewer bytes."""
    listed = api.get_json(LIST).json()["results"][0]["image"]
    whole = detail(api, article, "en")["image"]
    assert listed["id"] == whole["id"] == str(image.key)
    assert listed["alt_text"] == ALT["en"]
    assert listed["language"] == "en" and listed["dir"] == "ltr"
    text = ("translation", "alt_text", "decorative", "caption", "credit", "license_url")
    assert {name: listed[name] for name in text} == {name: whole[name] for name in text}
    crop = whole["crops"]["16:9"]
    assert listed["ratio"] == "16:9"
    for name in ("src", "width", "height", "type", "srcset", "sources"):
        assert listed[name] == crop[name], name
    assert "largest" not in listed and "crops" not in listed
    assert (listed["width"], listed["height"]) == (960, 540)


def test_without_crop_ratios_a_card_shows_the_image_s_own_shape(settings):
    from clinic.api.images import as_card

    settings.IMAGE_CROP_RATIOS = ()
    whole = {
        "id": "k",
        "alt_text": "a",
        "src": "s",
        "width": 1,
        "height": 2,
        "type": "image/png",
        "srcset": "s 1w",
        "sources": [],
        "largest": None,
        "crops": {"16:9": {}},
    }
    card = as_card(whole)
    assert card["ratio"] is None
    assert (card["src"], card["width"], card["height"]) == ("s", 1, 2)
    assert "crops" not in card and "largest" not in card


def test_src_srcset_and_sizes_come_from_the_renditions(api, article, image):
    served = detail(api, article, "en")["image"]
    assert served["src"] == f"http://testserver/media/images/{image.key}/960w.jpg"
    assert (served["width"], served["height"], served["type"]) == (960, 565, "image/jpeg")
    assert served["srcset"] == ", ".join(
        f"http://testserver/media/images/{image.key}/{width}w.jpg {width}w"
        for width in (480, 960, 1600)
    )
    assert served["sources"] == [
        {
            "type": "image/webp",
            "srcset": ", ".join(
                f"http://testserver/media/images/{image.key}/{width}w.webp {width}w"
                for width in (480, 960, 1600)
            ),
        }
    ]
    assert set(served["crops"]) == {"16:9", "1:1"}
    square = served["crops"]["1:1"]
    assert (square["width"], square["height"]) == (960, 960)


def test_the_alt_text_is_served_in_the_request_language_once_published(api, article, image):
    translate(image, "ar", alt_text=ALT["ar"], caption="رسم توضيحي من المشروع")
    translate(image, "uk", alt_text=ALT["uk"], publish=False)
    arabic = detail(api, article, "ar")["image"]
    assert (arabic["alt_text"], arabic["language"], arabic["dir"]) == (ALT["ar"], "ar", "rtl")
    assert arabic["translation"] == {"fallback_fields": ["credit"], "stale_fields": []}
    ukrainian = detail(api, article, "uk")["image"]  # a draft: English, and said so
    assert (ukrainian["alt_text"], ukrainian["language"]) == (ALT["en"], "en")
    assert ukrainian["translation"]["fallback_fields"] == ["alt_text", "caption", "credit"]


def test_a_stale_alt_text_is_reported(api, article, image):
    translate(image, "ar", alt_text=ALT["ar"])
    image.alt_text_en = "Stem cells beside a damaged nerve fibre"
    from clinic.i18n.services import content_save

    content_save(obj=image, changed_fields=["alt_text_en"])
    served = detail(api, article, "ar")["image"]
    assert served["alt_text"] == ALT["ar"]
    assert served["translation"]["stale_fields"] == ["alt_text"]


def test_an_edit_of_the_image_reaches_the_articles_that_show_it(api, article, image):
    assert detail(api, article, "ar")["image"]["alt_text"] == ALT["en"]
    translate(image, "ar", alt_text=ALT["ar"])  # only the image's translation state changes
    assert detail(api, article, "ar")["image"]["alt_text"] == ALT["ar"]


def test_a_decorative_image_has_an_empty_alt_text(api):
    image = make_image(alt_text_en="", decorative=True)
    article = ArticleFactory(lead_image=image)
    served = detail(api, article, "en")["image"]
    assert (served["alt_text"], served["decorative"]) == ("", True)


def test_an_article_without_an_image_says_null(api):
    article = ArticleFactory()
    assert detail(api, article, "en")["image"] is None


def test_body_images_are_served_from_the_library_in_the_request_language(api, image):
    translate(image, "ar", alt_text=ALT["ar"])
    body = f'<p>Before</p><img src="/media/images/{image.key}/original.jpg" alt="ignored">'
    article = ArticleFactory(body_en=body)
    translate(article, "ar", title="تقرير", body=f"<p>قبل</p>{body}")
    served = detail(api, article, "ar")
    assert (
        '<picture><source type="image/webp" srcset="http://testserver/media/images/'
        in (served["body"])
    )
    assert f'alt="{ALT["ar"]}" loading="lazy"' in served["body"]
    assert [item["id"] for item in served["body_images"]] == [str(image.key)]
    assert served["body_images"][0]["language"] == "ar"


def test_a_body_image_not_in_the_library_is_left_out(api):
    unknown = "/media/images/00000000-0000-4000-8000-000000000000/original.jpg"
    article = ArticleFactory(body_en=f'<p>Text</p><img src="{unknown}">')
    served = detail(api, article, "en")
    assert served["body"] == "<p>Text</p>"
    assert served["body_images"] == []


def test_only_library_images_survive_the_sanitiser():
    key = "0b0c1f52-9b9f-4b0e-8b1a-2f3c4d5e6f70"
    assert sanitize_html(
        f'<img src="/media/images/{key}/960w.webp" alt="x" onerror="alert(1)" width="9">'
    ) == (f'<img src="/media/images/{key}/960w.webp">')
    for hostile in (
        '<img src="https://tracker.example/pixel.gif">',
        '<img src="javascript:alert(1)">',
        '<img src="data:image/png;base64,AAAA">',
        f'<img src="/media/images/{key}/x.jpg?&quot;onerror=alert(1)">',
        "<img>",
    ):
        assert "<img" not in sanitize_html(hostile), hostile


def test_json_ld_image_is_an_image_object_with_size_and_caption(api, article, image):
    translate(image, "ar", alt_text=ALT["ar"], caption="رسم توضيحي من المشروع")
    json_ld = detail(api, article, "ar")["json_ld"]
    first = json_ld["image"][0]
    assert first["@type"] == "ImageObject"
    assert first["contentUrl"] == f"http://testserver/media/images/{image.key}/1600w.jpg"
    assert first["width"] == {"@type": "QuantitativeValue", "value": 1600, "unitCode": "E37"}
    assert first["height"]["value"] == 941
    assert first["caption"] == "رسم توضيحي من المشروع"
    assert first["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert [node["width"]["value"] for node in json_ld["image"]] == [1600, 1600, 1000]
    check_schema_org(json_ld)


@pytest.mark.parametrize("with_images", [False, True])
def test_list_and_detail_cost_the_same_with_images(
    api, warm, django_assert_max_num_queries, with_images
):
    for n in range(5):
        image = make_image(alt_text_en=f"Picture {n}") if with_images else None
        body = f'<p>x</p><img src="/media/images/{image.key}/480w.jpg">' if image else "<p>x</p>"
        article = ArticleFactory(lead_image=image, body_en=body)
        if image:
            translate(image, "ar", alt_text=f"صورة {n}")
    warm("ar")
    with django_assert_max_num_queries(2):
        listed = api.get_json(LIST, lang="ar").json()["results"]
    assert all((item["image"] is not None) == with_images for item in listed)
    with django_assert_max_num_queries(2):
        served = api.get_json(f"{LIST}{article.slug_en}/", lang="ar").json()
    assert len(served["body_images"]) == (1 if with_images else 0)


def test_the_read_model_serves_what_the_models_render(api, article, image):
    """The document built at write time equals the model-based rendering (the reference)."""
    from django.core.management import call_command

    translate(image, "ar", alt_text=ALT["ar"])
    call_command("published_verify")


def test_image_translation_state_is_recorded_like_any_content(image):
    translate(image, "ar", alt_text=ALT["ar"])
    state = image.translation_states.get(language="ar")
    assert state.status == TranslationState.Status.PUBLISHED
    assert state.sources["alt_text"] == ALT["en"]


def test_deleting_a_body_image_removes_it_from_the_served_body(api, image):
    article = ArticleFactory(body_en=f'<p>x</p><img src="/media/images/{image.key}/480w.jpg">')
    assert detail(api, article, "en")["body_images"]
    image.delete()
    served = detail(api, article, "en")
    assert (served["body"], served["body_images"]) == ("<p>x</p>", [])


def test_a_lead_image_in_use_cannot_be_deleted(article, image):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        image.delete()
