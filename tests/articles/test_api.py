"""The article endpoints: visibility, field-level fallback, lookup, filters, shapes, cost."""

from datetime import UTC, datetime, timedelta
from unittest import mock
from urllib.parse import unquote

import pytest
from django.utils import timezone

from articles.models import Article
from clinic.content import bulk_write
from clinic.models import Disclaimer
from tests.factories import (
    ArticleFactory,
    DisclaimerFactory,
    ReferenceFactory,
    TopicFactory,
    record_review,
    reviewer_user,
    translate,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
ARABIC = {
    "title": "تقرير تجربة المرحلة 1",
    "summary": "شملت تجربة من المرحلة 1 عدد 20 مريضًا.",
    "body": "<p>شملت التجربة من المرحلة 1 عدد 20 مريضًا.</p>",
    "condition": "التصلب المتعدد",
}


def detail(slug: str) -> str:
    return f"{LIST}{slug}/"


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["results"]]


@pytest.fixture
def article():
    """Published in English and Arabic; no Ukrainian translation."""
    return translate(ArticleFactory(title_en="Stem cells in progressive MS"), "ar", **ARABIC)


# Visibility


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.IN_REVIEW},
        {"published_at": None},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "in_review", "no_date", "scheduled"],
)
def test_unpublished_articles_are_invisible(api, hidden):
    article = ArticleFactory(**hidden)
    assert api.get_json(LIST).json()["count"] == 0
    assert api.get_json(detail(article.slug_en)).status_code == 404


def test_scheduled_article_appears_when_its_time_comes(api, settings):
    soon = timezone.now() + timedelta(seconds=1)
    ArticleFactory(published_at=soon)
    assert api.get_json(LIST).json()["count"] == 0
    with mock.patch("django.utils.timezone.now", return_value=soon + timedelta(seconds=1)):
        assert api.get_json(LIST).json()["count"] == 1


# Field-level fallback


def test_published_translation_is_served(api, article):
    item = api.get_json(LIST, lang="ar").json()["results"][0]
    assert item["title"] == ARABIC["title"]
    assert item["language"] == "ar"
    assert item["dir"] == "rtl"
    assert item["translation"] == {"fallback_fields": [], "stale_fields": []}


def test_missing_translation_falls_back_to_english_and_says_so(api, article):
    item = api.get_json(LIST, lang="uk").json()["results"][0]
    assert item["title"] == "Stem cells in progressive MS"
    assert item["language"] == "en"
    assert item["dir"] == "ltr"
    assert set(item["translation"]["fallback_fields"]) == {"title", "summary", "body", "condition"}


def test_partly_translated_fields_fall_back_one_by_one(api):
    translate(ArticleFactory(summary_en="English summary."), "uk", title="Звіт")
    item = api.get_json(LIST, lang="uk").json()["results"][0]
    assert item["title"] == "Звіт"
    assert item["summary"] == "English summary."
    assert item["language"] == "uk"
    assert "summary" in item["translation"]["fallback_fields"]
    assert "title" not in item["translation"]["fallback_fields"]


def test_draft_translation_falls_back_to_english(api):
    translate(ArticleFactory(title_en="English title"), "ar", publish=False, **ARABIC)
    item = api.get_json(LIST, lang="ar").json()["results"][0]
    assert item["title"] == "English title"
    assert "title" in item["translation"]["fallback_fields"]
    assert item["available_languages"] == ["en"]


def test_fallback_is_never_an_empty_string(api, article):
    item = api.get_json(detail(article.slug_en), lang="uk").json()
    for field in ("title", "summary", "body", "slug"):
        assert item[field]


def test_stale_translation_is_served_and_reported(api, article):
    article.title_en = "A corrected English title"
    article.save()
    item = api.get_json(LIST, lang="ar").json()["results"][0]
    assert item["title"] == ARABIC["title"]
    assert item["translation"]["stale_fields"] == ["title"]


def test_topics_carry_their_own_translation_block(api, article):
    topic = translate(TopicFactory(name_en="Multiple sclerosis"), "ar", name="التصلب المتعدد")
    untranslated = TopicFactory(name_en="Clinical trials")
    article.topics.set([topic, untranslated])
    item = api.get_json(LIST, lang="ar").json()["results"][0]
    by_name = {topic["name"]: topic for topic in item["topics"]}
    assert by_name["التصلب المتعدد"]["dir"] == "rtl"
    assert by_name["Clinical trials"]["translation"]["fallback_fields"] == ["name"]
    assert by_name["Clinical trials"]["language"] == "en"


# Alternates and slugs


def test_available_languages_and_alternates(api, article):
    item = api.get_json(LIST, lang="en").json()["results"][0]
    assert item["available_languages"] == ["en", "ar"]
    alternates = item["alternates"]
    assert set(alternates) == {"en", "ar", "x-default"}
    assert alternates["en"] == f"http://testserver/api/v1/articles/{article.slug_en}/?lang=en"
    assert (
        unquote(alternates["ar"]) == f"http://testserver/api/v1/articles/{article.slug_ar}/?lang=ar"
    )
    assert alternates["x-default"] == alternates["en"]


@pytest.mark.parametrize("slug_language", ["en", "ar"])
@pytest.mark.parametrize("language", ["en", "ar", "uk"])
def test_a_slug_in_any_language_finds_the_article_in_the_request_language(
    api, article, slug_language, language
):
    slug = getattr(article, f"slug_{slug_language}")
    response = api.get_json(detail(slug), lang=language)
    assert response.status_code == 200
    assert response.json()["title"] == (ARABIC["title"] if language == "ar" else article.title_en)


def test_slug_of_an_unpublished_translation_finds_nothing(api):
    article = translate(ArticleFactory(), "ar", publish=False, **ARABIC)
    assert api.get_json(detail(article.slug_ar)).status_code == 404
    assert api.get_json(detail(article.slug_en)).status_code == 200


@pytest.mark.parametrize(
    ("language", "published", "expected"),
    [("ar", True, "translated"), ("en", True, "english"), ("ar", False, "english")],
)
def test_a_slug_shared_by_two_articles_prefers_the_request_language(
    api, language, published, expected
):
    """One article's English slug is another's Arabic slug: the request language decides."""
    english = ArticleFactory(title_en="Shared", slug_en="shared-slug")
    translated = translate(
        ArticleFactory(title_en="Other"),
        "ar",
        publish=published,
        **{**ARABIC, "slug": "shared-slug"},
    )
    own = DisclaimerFactory(applies_to=Disclaimer.AppliesTo.SITE, key="english-only")
    english.disclaimers.add(own)
    data = api.get_json(detail("shared-slug"), lang=language).json()
    chosen = {"english": english, "translated": translated}[expected]
    assert data["alternates"]["en"] == f"http://testserver{detail(chosen.slug_en)}?lang=en"
    assert data["title"] == (ARABIC["title"] if expected == "translated" else "Shared")
    keys = [item["key"] for item in data["disclaimers"]]
    assert ("english-only" in keys) == (expected == "english")


def test_unknown_slug_is_a_json_404(api):
    response = api.get_json(detail("no-such-article"), lang="ar")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# Detail


def test_detail_has_body_study_review_and_disclaimers(api, article):
    DisclaimerFactory(key="treatment-results", text_en="Results are individual.")
    DisclaimerFactory(key="contact-only", applies_to="contacts")
    ReferenceFactory(article=article)
    article.phase, article.enrollment, article.institution = (
        "phase1",
        20,
        "Tisch MS Research Center",
    )
    article.save()
    record_review(article, "ar", by=reviewer_user(name="Dr Amal Haddad"))
    item = api.get_json(detail(article.slug_en), lang="ar").json()
    assert item["body"] == ARABIC["body"]
    assert item["study"]["condition"] == ARABIC["condition"]
    assert item["study"]["phase"] == "phase1"
    assert item["study"]["enrollment"] == 20
    assert item["study"]["references"] == [
        {
            "kind": "nct",
            "identifier": "NCT01933802",
            "url": "https://clinicaltrials.gov/study/NCT01933802",
        }
    ]
    assert item["medical_review"]["reviewer"]["name"] == "Dr Amal Haddad"
    assert item["medical_review"]["last_reviewed"] == timezone.localdate().isoformat()
    assert [d["key"] for d in item["disclaimers"]] == ["treatment-results"]
    assert item["disclaimers"][0]["translation"]["fallback_fields"] == ["text"]


def test_disclaimers_attached_to_one_article_are_shown_with_it(api, article):
    extra = DisclaimerFactory(key="compassionate-use", applies_to="site")
    article.disclaimers.add(extra)
    item = api.get_json(detail(article.slug_en)).json()
    assert [d["key"] for d in item["disclaimers"]] == ["compassionate-use"]


def test_disclaimers_are_present_even_when_none_apply(api, article):
    assert api.get_json(detail(article.slug_en)).json()["disclaimers"] == []


def test_json_ld_is_a_news_article_about_a_trial_in_the_request_language(api, article):
    article.phase, article.institution = "phase1", "Tisch MS Research Center of New York"
    article.institution_place = "New York, NY, United States"
    article.save()
    item = api.get_json(detail(article.slug_en), lang="ar").json()
    json_ld = item["json_ld"]
    assert json_ld["@context"] == "https://schema.org"
    assert json_ld["@type"] == "NewsArticle"
    assert json_ld["inLanguage"] == "ar"
    assert json_ld["headline"] == ARABIC["title"]
    assert json_ld["url"] == item["alternates"]["ar"]
    assert json_ld["datePublished"].startswith(article.published_at.date().isoformat())
    assert "dateModified" in json_ld
    trial = json_ld["about"]
    assert trial["@type"] == "MedicalTrial"
    assert trial["healthCondition"]["name"] == ARABIC["condition"]
    assert trial["studyLocation"]["containsPlace"]["name"] == "Tisch MS Research Center of New York"
    assert trial["additionalType"] == "Phase 1"  # ClinicalTrials.gov's wording, in every language


def test_demo_article_in_arabic(api, demo_content):
    item = api.get_json(LIST, lang="ar").json()["results"][0]
    response = api.get_json(detail(item["slug"]), accept_language="ar")
    article = response.json()
    assert article["dir"] == "rtl"
    assert article["translation"] == {"fallback_fields": [], "stale_fields": []}
    assert "المرحلة" in article["study"]["phase_label"]
    assert [d["key"] for d in article["disclaimers"]] == ["treatment-results"]
    assert article["json_ld"]["inLanguage"] == "ar"


# Filters, ordering, search, pagination


def test_topic_filter_accepts_a_slug_in_any_language(api, article):
    topic = translate(TopicFactory(name_en="Stem cells"), "ar", name="الخلايا الجذعية")
    article.topics.add(topic)
    ArticleFactory()
    assert api.get_json(LIST, topic="stem-cells").json()["count"] == 1
    assert api.get_json(f"{LIST}?topic={topic.slug_ar}").json()["count"] == 1
    assert api.get_json(LIST, topic="unknown").json()["count"] == 0


def test_published_date_filters_are_inclusive(api):
    ArticleFactory(title_en="Old", published_at=datetime(2016, 4, 22, 9, tzinfo=UTC))
    ArticleFactory(title_en="New")
    assert titles(api.get_json(LIST, published_before="2016-04-22")) == ["Old"]
    assert titles(api.get_json(LIST, published_after="2016-04-23")) == ["New"]
    assert titles(api.get_json(LIST, published_after="2016-04-22T09:00:00Z")) == ["New", "Old"]


@pytest.mark.parametrize("date", ["9999-12-31", "9999-12-31T23:59:59Z", "0001-01-01"])
def test_date_filters_at_the_ends_of_the_calendar(api, date):
    ArticleFactory(title_en="Now")
    before = api.get_json(LIST, published_before=date)
    after = api.get_json(LIST, published_after=date)
    assert (before.status_code, after.status_code) == (200, 200)
    assert before.json()["count"] + after.json()["count"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"published_after": "yesterday"},
        {"published_before": "2016-13-45"},
        {"ordering": "secret_field"},
        {"page_size": "0"},
        {"page_size": "101"},
        {"page_size": "ten"},
        {"page": "0"},
        {"page": "abc"},
        {"q": "x" * 201},
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(api, params):
    response = api.get_json(LIST, **params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameters"
    assert set(error["details"]) == set(params)


def test_page_past_the_end_is_404(api, article):
    assert api.get_json(LIST, page="2").status_code == 404


@pytest.mark.parametrize(
    "params",
    [{"page": "3", "page_size": "1"}, {"page": "2", "topic": "unknown"}, {"page": "9" * 30}],
)
def test_a_page_past_the_end_is_the_json_not_found_error(api, article, params):
    response = api.get_json(LIST, lang="ar", **params)
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "غير موجود.", "details": None}
    }


def test_pagination_links_and_bounds(api):
    for _ in range(3):
        ArticleFactory()
    body = api.get_json(LIST, page_size="2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]
    assert body["previous"] is None
    assert len(api.get_json(LIST, page_size="100").json()["results"]) == 3


def test_ordering_by_title_uses_the_fallback_title(api):
    translate(ArticleFactory(title_en="Alpha"), "uk", title="Яблуко")
    ArticleFactory(title_en="Beta")
    assert titles(api.get_json(LIST, lang="uk", ordering="title")) == ["Beta", "Яблуко"]
    assert titles(api.get_json(LIST, lang="en", ordering="title")) == ["Alpha", "Beta"]
    assert titles(api.get_json(LIST, lang="en", ordering="-title")) == ["Beta", "Alpha"]


def test_default_order_is_newest_first(api):
    ArticleFactory(title_en="Older", published_at=timezone.now() - timedelta(days=3))
    ArticleFactory(title_en="Newer", published_at=timezone.now() - timedelta(days=1))
    assert titles(api.get_json(LIST)) == ["Newer", "Older"]


def test_search_finds_untranslated_articles_by_their_english_title(api, article):
    ArticleFactory(title_en="Stroke rehabilitation report", summary_en="", body_en="")
    response = api.get_json(LIST, lang="ar", q="rehabilitation")
    assert titles(response) == ["Stroke rehabilitation report"]


def test_search_uses_the_published_translation(api, article):
    assert titles(api.get_json(LIST, lang="ar", q="تقرير")) == [ARABIC["title"]]
    assert api.get_json(LIST, lang="en", q="تقرير").json()["count"] == 0


def test_search_ignores_a_draft_translation(api):
    translate(ArticleFactory(title_en="Draft translated"), "ar", publish=False, **ARABIC)
    assert api.get_json(LIST, lang="ar", q="تقرير").json()["count"] == 0


@pytest.mark.parametrize("query", ["%", "_", "' OR 1=1 --", ".*", "(", "\\", "   ", "!:*&|"])
def test_search_with_metacharacters_never_fails(api, article, query):
    assert api.get_json(LIST, q=query).status_code == 200


def test_search_with_a_null_byte_is_a_400(api, article):
    response = api.get_json(LIST, q="stem\x00cells")
    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) == {"q"}


# Query cost


@pytest.mark.parametrize("page_size", [1, 20, 100])
def test_list_costs_at_most_two_queries(api, warm, django_assert_max_num_queries, page_size):
    with bulk_write():  # the read model built once, as for an import
        topics = [translate(TopicFactory(), "ar", name=f"موضوع {n}") for n in range(5)]
        for _ in range(page_size):
            article = translate(ArticleFactory(), "ar", **ARABIC)
            translate(article, "uk", title="Звіт")
            article.topics.set(topics)
    warm("ar")
    with django_assert_max_num_queries(2):  # the page, its total and Last-Modified
        response = api.get_json(LIST, lang="ar", page_size=str(page_size))
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("extras", [0, 10])
def test_detail_costs_at_most_two_queries(
    api, article, warm, django_assert_max_num_queries, extras
):
    for n in range(extras):
        article.topics.add(translate(TopicFactory(), "ar", name=f"موضوع {n}"))
        ReferenceFactory(article=article, identifier=f"NCT0000000{n}")
        DisclaimerFactory()
        reviewer = reviewer_user(f"reviewer-{n}")
        translate(reviewer.medical_reviewer, "ar", credentials="طبيب أعصاب")
        record_review(Article.objects.get(pk=article.pk), "ar" if n % 2 else "en", by=reviewer)
    warm("ar")
    with django_assert_max_num_queries(2):
        response = api.get_json(detail(article.slug_ar), lang="ar", q="ignored", ordering="title")
    assert len(response.json()["study"]["references"]) == extras
    assert (response.json()["medical_review"] is not None) == bool(extras)


def test_filtered_and_searched_list_costs_at_most_four_queries(
    api, article, warm, django_assert_max_num_queries
):
    topic = TopicFactory(name_en="Stem cells")
    article.topics.add(topic)
    warm("ar")
    # The matching ids, their documents, the total and Last-Modified (two, uncached).
    with django_assert_max_num_queries(4):
        api.get_json(LIST, lang="ar", topic="stem-cells", q="تقرير", ordering="-title")


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl"), ("uk", "ltr")])
def test_demo_article_list_and_detail_in_each_language(api, demo_content, language, direction):
    listed = api.get_json(LIST, lang=language).json()["results"][0]
    assert (listed["language"], listed["dir"]) == (language, direction)
    assert listed["available_languages"] == ["en", "ar", "uk"]
    article = api.get_json(detail(listed["slug"]), lang=language).json()
    assert article["title"] == listed["title"]
    assert article["translation"] == {"fallback_fields": [], "stale_fields": []}
    assert article["study"]["enrollment"] == 20
    assert article["json_ld"]["inLanguage"] == language
    assert article["disclaimers"][0]["language"] == language
    for slug_language in ("en", "ar", "uk"):
        other = api.get_json(listed["alternates"][slug_language].split("testserver")[1])
        assert other.status_code == 200
        assert other["Content-Language"] == slug_language


def test_search_folds_non_ascii_case(api):
    ArticleFactory(title_en="Пацієнти з розсіяним склерозом", summary_en="", body_en="")
    assert api.get_json(LIST, q="ПАЦІЄНТИ").json()["count"] == 1


def test_published_translation_without_a_title_still_has_a_url(api):
    article = ArticleFactory(title_en="English only")
    translate(article, "ar", summary="ملخص")
    item = api.get_json(LIST, lang="ar").json()["results"][0]
    assert item["url"] == item["alternates"]["x-default"]


def test_the_study_names_the_trial_and_where_it_ran(api, demo_content):
    article = Article.objects.get()
    study = api.get_json(detail(article.slug_en), lang="uk").json()["study"]
    assert study["title"].startswith("Intrathecal Administration of Autologous Mesenchymal")
    assert study["institution_place"] == "New York, NY, United States"
    assert study["presented_place"] == "Vancouver, British Columbia, Canada"
