"""Public page URLs: ``page_url`` and ``page_alternates`` of articles and topics."""

import io
import re
from urllib.parse import quote

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from clinic.settings import page_url_templates
from tests.factories import ArticleFactory, TopicFactory, translate

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
TEMPLATES = {
    "article": {
        "en": "https://clinic.example/en/news/{slug}/",
        "ar": "https://clinic.example/ar/akhbar/{slug}/",
        "uk": "https://clinic.example/{lang}/novyny/{slug}/",
    },
    "topic": {
        "en": "https://clinic.example/topics/{slug}/",
        "ar": "https://clinic.example/ar/mawadi/{slug}/",
        "uk": "https://clinic.example/uk/temy/{slug}/",
    },
}
SLUGS = {"en": "stem-cells-in-ms", "ar": "الخلايا-الجذعية", "uk": "стовбурові-клітини"}


def page(kind: str, language: str, slug: str) -> str:
    return TEMPLATES[kind][language].format(lang=language, slug=quote(slug, safe=""))


@pytest.fixture
def pages(settings):
    settings.PUBLIC_PAGE_URLS = TEMPLATES


@pytest.fixture
def article(pages):
    """Published in English, Arabic and Ukrainian, with a topic translated into Arabic."""
    topic = translate(TopicFactory(name_en="Multiple sclerosis"), "ar", name="التصلب المتعدد")
    article = ArticleFactory(title_en="Stem cells in MS", topics=[topic])
    translate(article, "ar", title="الخلايا الجذعية")
    return translate(article, "uk", title="Стовбурові клітини")


def expected_alternates(**slugs: str) -> dict[str, str]:
    alternates = {language: page("article", language, slug) for language, slug in slugs.items()}
    return {**alternates, "x-default": alternates["en"]}


@pytest.mark.parametrize("language", ["en", "ar", "uk"])
def test_list_and_detail_give_the_page_of_the_version_served_and_every_published_page(
    api, article, language
):
    listed = api.get_json(LIST, lang=language).json()["results"][0]
    shown = api.get_json(f"{LIST}{SLUGS[language]}/", lang=language).json()
    for item in (listed, shown):
        assert item["page_url"] == page("article", language, SLUGS[language])
        assert item["page_alternates"] == expected_alternates(**SLUGS)
        # ``alternates`` stay the API's own URLs.
        assert item["alternates"]["ar"].startswith("http://testserver/api/v1/articles/")


def test_a_language_not_published_has_no_page_and_is_served_the_source_page(api, pages):
    article = ArticleFactory(title_en="Stem cells in MS")
    translate(article, "ar", title="الخلايا الجذعية")
    translate(article, "uk", title="Стовбурові клітини", publish=False)  # a draft
    expected = expected_alternates(en=SLUGS["en"], ar=SLUGS["ar"])
    for url in (LIST, f"{LIST}{SLUGS['en']}/"):
        response = api.get_json(url, lang="uk").json()
        item = response["results"][0] if "results" in response else response
        assert item["page_alternates"] == expected
        assert item["page_url"] == page("article", "en", SLUGS["en"])


def test_json_ld_url_is_the_page_of_the_version_served(api, article):
    shown = api.get_json(f"{LIST}{SLUGS['ar']}/", lang="ar").json()
    assert shown["json_ld"]["url"] == page("article", "ar", SLUGS["ar"])
    assert shown["json_ld"]["mainEntityOfPage"]["@id"] == page("article", "ar", SLUGS["ar"])


def test_without_templates_page_fields_are_null_and_empty_and_json_ld_keeps_the_api_url(api):
    ArticleFactory(title_en="Stem cells in MS")
    listed = api.get_json(LIST).json()["results"][0]
    shown = api.get_json(f"{LIST}{SLUGS['en']}/").json()
    for item in (listed, shown, *listed["topics"]):
        assert item["page_url"] is None
        assert item["page_alternates"] == {}
    assert shown["json_ld"]["url"] == shown["url"]


def test_topics_have_pages_in_the_topic_list_and_inside_articles(api, article):
    expected = {
        "en": page("topic", "en", "multiple-sclerosis"),
        "ar": page("topic", "ar", "التصلب-المتعدد"),
        "x-default": page("topic", "en", "multiple-sclerosis"),
    }
    for language, served in (("ar", "ar"), ("uk", "en")):  # no Ukrainian name: the English page
        listed = api.get_json("/api/v1/topics/", lang=language).json()[0]
        inside = api.get_json(LIST, lang=language).json()["results"][0]["topics"][0]
        for topic in (listed, inside):
            assert topic["page_alternates"] == expected
            assert topic["page_url"] == expected[served]


def test_only_the_languages_with_a_template_have_pages(api, settings):
    settings.PUBLIC_PAGE_URLS = {"article": {"ar": TEMPLATES["article"]["ar"]}}
    translate(ArticleFactory(title_en="Stem cells in MS"), "ar", title="الخلايا الجذعية")
    item = api.get_json(LIST, lang="ar").json()["results"][0]
    # No English page, so no x-default either.
    assert item["page_alternates"] == {"ar": page("article", "ar", SLUGS["ar"])}
    assert item["page_url"] == page("article", "ar", SLUGS["ar"])
    assert api.get_json(LIST, lang="en").json()["results"][0]["page_url"] is None


def test_list_and_detail_with_pages_cost_at_most_two_queries(
    api, article, warm, django_assert_max_num_queries
):
    warm("ar")
    with django_assert_max_num_queries(2):
        listed = api.get_json(LIST, lang="ar")
    with django_assert_max_num_queries(2):
        shown = api.get_json(f"{LIST}{SLUGS['ar']}/", lang="ar")
    assert listed.json()["results"][0]["page_url"] == shown.json()["page_url"]


def test_the_read_model_matches_the_models_with_pages(article):
    call_command("published_verify", stdout=io.StringIO())  # raises on any difference


# Settings changed after the documents were rendered


def test_rebuild_if_settings_changed_picks_up_new_templates_once(api, settings):
    ArticleFactory(title_en="Stem cells in MS")
    out = io.StringIO()
    call_command("published_rebuild", "--if-settings-changed", stdout=out)  # none recorded yet
    assert "rebuilding" in out.getvalue()
    settings.PUBLIC_PAGE_URLS = TEMPLATES
    assert api.get_json(LIST).json()["results"][0]["page_url"] is None  # rendered before

    call_command("published_rebuild", "--if-settings-changed", stdout=(out := io.StringIO()))
    assert re.search(r"\b[1-9]\d* documents written", out.getvalue())
    assert api.get_json(LIST).json()["results"][0]["page_url"] == page("article", "en", SLUGS["en"])

    call_command("published_rebuild", "--if-settings-changed", stdout=(out := io.StringIO()))
    assert "nothing to rebuild" in out.getvalue()


def test_a_complete_rebuild_records_the_settings(settings):
    call_command("published_rebuild", stdout=io.StringIO())
    call_command("published_rebuild", "--if-settings-changed", stdout=(out := io.StringIO()))
    assert "nothing to rebuild" in out.getvalue()
    settings.CLINIC_NAME = "Clinic"  # the JSON-LD's publisher is in the documents too
    call_command("published_rebuild", "--if-settings-changed", stdout=(out := io.StringIO()))
    assert "rebuilding" in out.getvalue()


def test_a_release_that_changes_the_documents_format_rebuilds_them_once(monkeypatch):
    from clinic.published import configuration

    call_command("published_rebuild", stdout=io.StringIO())
    monkeypatch.setattr(configuration, "FORMAT", "a later release")
    call_command("published_rebuild", "--if-settings-changed", stdout=(out := io.StringIO()))
    assert "rebuilding" in out.getvalue()
    call_command("published_rebuild", "--if-settings-changed", stdout=(out := io.StringIO()))
    assert "nothing to rebuild" in out.getvalue()


def test_the_crop_ratios_shape_the_lists_so_a_change_rebuilds(settings):
    call_command("published_rebuild", stdout=io.StringIO())
    settings.IMAGE_CROP_RATIOS = ("1:1",)
    call_command("published_rebuild", "--if-settings-changed", stdout=(out := io.StringIO()))
    assert "rebuilding" in out.getvalue()


def test_rebuild_if_settings_changed_refuses_a_partial_rebuild():
    with pytest.raises(CommandError, match="--kind and --language"):
        call_command("published_rebuild", "--if-settings-changed", "--kind", "article")


# Configuration


@pytest.mark.parametrize(
    ("default", "by_language", "message"),
    [
        ("https://clinic.example/{lang}/news/", "", "with {slug}"),
        ("/news/{slug}/", "", "absolute http"),
        ("https://clinic.example/{id}/{slug}/", "", "only {slug} and {lang}"),
        ("", "fr=https://clinic.example/fr/{slug}/", "configured language"),
        ("", "ar:https://clinic.example/ar/{slug}/", "<language>=<template>"),
    ],
)
def test_a_bad_template_stops_start_up_with_a_clear_message(default, by_language, message):
    with pytest.raises(ImproperlyConfigured, match=message.replace("{", r"\{").replace("}", r"\}")):
        page_url_templates("PUBLIC_ARTICLE_URL", default, by_language, ["en", "ar", "uk"])


def test_per_language_templates_override_the_default():
    templates = page_url_templates(
        "PUBLIC_ARTICLE_URL",
        "https://clinic.example/{lang}/news/{slug}/",
        "ar=https://clinic.example/ar/akhbar/{slug}/",
        ["en", "ar", "uk"],
    )
    assert templates == {
        "en": "https://clinic.example/{lang}/news/{slug}/",
        "ar": "https://clinic.example/ar/akhbar/{slug}/",
        "uk": "https://clinic.example/{lang}/news/{slug}/",
    }
