"""The demo's lead image: drawn by the project, licensed, described in three languages."""

import json

import pytest

from articles.models import Article
from clinic.demo import DEMO_CONTENT, demo_content_load
from clinic.images.demo import DEMO_IMAGE_KEY, demo_illustration
from clinic.images.models import Image
from tests.schema_org_check import check_schema_org

pytestmark = pytest.mark.django_db

SEED = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))["article"]["lead_image"]


def test_the_drawing_is_made_here_and_the_same_every_time():
    assert demo_illustration() == demo_illustration()
    assert demo_illustration().startswith(b"\x89PNG")


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl"), ("uk", "ltr")])
def test_the_trial_report_has_its_lead_image_in_each_language(
    api, demo_content, language, direction
):
    served = api.get_json("/api/v1/articles/", lang=language).json()["results"][0]["image"]
    assert served["alt_text"] == SEED["alt_text"][language]
    assert served["caption"] == SEED["caption"][language]
    assert served["credit"] == SEED["credit"][language]
    assert (served["language"], served["dir"]) == (language, direction)
    assert served["translation"] == {"fallback_fields": [], "stale_fields": []}
    assert served["license_url"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert (served["width"], served["height"]) == (960, 540)


def test_the_credit_states_the_project_and_the_licence_in_every_language():
    assert all(
        "CC0" in text and "clinic/images/demo.py" in text for text in SEED["credit"].values()
    )


def test_loading_again_adds_no_image(demo_content):
    assert demo_content_load()["images"] == 0
    assert Image.objects.get().key == DEMO_IMAGE_KEY


def test_an_article_loaded_before_the_image_existed_gets_it_once(db):
    demo_content_load()
    article = Article.objects.get()
    article.lead_image = None
    article.save()
    Image.objects.all().delete()
    demo_content_load()
    assert Article.objects.get().lead_image.key == DEMO_IMAGE_KEY
    article = Article.objects.get()
    article.lead_image = None  # an editor removed it: loading again leaves it removed
    article.save()
    demo_content_load()
    assert Article.objects.get().lead_image is None


@pytest.mark.parametrize("language", ["en", "ar", "uk"])
def test_the_demo_json_ld_has_the_image_and_fits_schema_org(api, demo_content, language):
    slug = Article.objects.get().slug_en
    json_ld = api.get_json(f"/api/v1/articles/{slug}/", lang=language).json()["json_ld"]
    assert json_ld["image"][0]["description"] == SEED["alt_text"][language]
    check_schema_org(json_ld)
