"""The article detail's JSON-LD: schema.org's own vocabulary, and nothing nobody recorded."""

import copy
import json

import pytest

from articles.jsonld import PHASE_NAMES
from articles.models import Article, Reference
from tests.factories import (
    ArticleFactory,
    ReferenceFactory,
    record_review,
    reviewer_user,
    translate,
)
from tests.schema_org_check import NotSchemaOrg, check_schema_org

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
LANGUAGES = ["en", "ar", "uk"]


def json_ld(api, article: Article | None = None, *, lang: str = "en") -> dict:
    """The JSON-LD of ``article`` (by default the first one listed) in ``lang``."""
    if article is None:
        slug = api.get_json(LIST, lang=lang).json()["results"][0]["slug"]
    else:
        slug = article.slug_en
    response = api.get_json(f"{LIST}{slug}/", lang=lang)
    assert response.status_code == 200
    return response.json()["json_ld"]


@pytest.fixture
def demo(api, demo_content) -> dict:
    """The demo article's JSON-LD in English."""
    return json_ld(api)


# The vocabulary


@pytest.mark.parametrize("language", LANGUAGES)
def test_demo_article_json_ld_fits_schema_org(api, demo_content, language):
    check_schema_org(json_ld(api, lang=language))


MISTAKES = {
    "misspelt_property": lambda doc: doc.update(headlin=doc.pop("headline")),
    "property_of_another_type": lambda doc: doc.update(lastReviewed="2016-04-22"),
    "value_outside_the_range": lambda doc: doc["about"].update(
        studyLocation={"@type": "Place", "name": "Vancouver, British Columbia, Canada"}
    ),
    "text_where_a_thing_is_expected": lambda doc: doc.update(publisher="A clinic"),
    "unknown_type": lambda doc: doc["about"].update({"@type": "ClinicalTrial"}),
    "property_schema_org_dropped": lambda doc: doc["about"].update(phase="Phase 1"),
    "malformed_date": lambda doc: doc.update(datePublished="22 April 2016"),
}


@pytest.mark.parametrize("mistake", MISTAKES.values(), ids=MISTAKES.keys())
def test_the_vocabulary_check_rejects_a_misused_term(demo, mistake):
    document = copy.deepcopy(demo)
    mistake(document)
    with pytest.raises(NotSchemaOrg):
        check_schema_org(document)


def test_json_ld_with_every_optional_part_fits_schema_org(api, settings):
    settings.CLINIC_NAME, settings.CLINIC_URL = "Example Clinic", "https://clinic.example/"
    article = ArticleFactory(
        study_title="A trial", phase=Article.Phase.PHASE_2_3, intervention_en="A therapy"
    )
    for kind, identifier in [("nct", "NCT01933802"), ("doi", "10.1000/xyz123"), ("pmid", "123")]:
        ReferenceFactory(article=article, kind=kind, identifier=identifier, url="")
    ReferenceFactory(article=article, kind="url", identifier="", url="https://news.example/a")
    record_review(article, "en")
    check_schema_org(json_ld(api, article))


# The medical review: only a recorded, current one


def test_without_a_review_the_page_claims_none(api):
    page = json_ld(api, ArticleFactory())["mainEntityOfPage"]
    assert "reviewedBy" not in page
    assert "lastReviewed" not in page


def test_a_recorded_review_is_the_pages_reviewer_and_date(api):
    article = ArticleFactory()
    reviewer = reviewer_user(name="Dr Amal Haddad", credentials_en="MD, neurologist")
    review = record_review(article, "en", by=reviewer)
    page = json_ld(api, article)["mainEntityOfPage"]
    assert page["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Amal Haddad",
        "honorificSuffix": "MD, neurologist",
    }
    assert page["lastReviewed"] == review.reviewed_on.isoformat()


def test_a_review_of_the_english_text_is_not_claimed_for_the_arabic(api):
    article = translate(ArticleFactory(), "ar", title="تقرير تجربة", summary="ملخص")
    record_review(article, "en")
    page = json_ld(api, article, lang="ar")["mainEntityOfPage"]
    assert "reviewedBy" not in page
    assert "lastReviewed" not in page


# The trial


def test_study_location_is_where_the_study_ran_not_where_results_were_presented(demo):
    assert demo["about"]["studyLocation"] == {
        "@type": "AdministrativeArea",
        "name": "New York, NY, United States",
        "containsPlace": {"@type": "Place", "name": "Tisch MS Research Center of New York"},
    }
    assert "Vancouver" not in json.dumps(demo)


def test_study_location_is_left_out_when_its_place_is_unknown(api):
    article = ArticleFactory(institution="Tisch MS Research Center of New York")
    assert "studyLocation" not in json_ld(api, article)["about"]


def test_trial_name_is_the_study_title_not_the_headline(demo):
    assert demo["about"]["name"] == (
        "Intrathecal Administration of Autologous Mesenchymal Stem Cell-derived Neural "
        "Progenitors (MSC-NP) in Patients With Multiple Sclerosis"
    )
    assert demo["about"]["name"] != demo["headline"]


def test_a_trial_without_a_study_title_has_no_name(api):
    assert "name" not in json_ld(api, ArticleFactory(study_title=""))["about"]


def test_phase_is_the_same_in_every_language(api, demo_content):
    phases = {lang: json_ld(api, lang=lang)["about"]["additionalType"] for lang in LANGUAGES}
    assert phases == dict.fromkeys(LANGUAGES, "Phase 1")


def test_every_phase_has_its_clinicaltrials_gov_wording():
    assert set(PHASE_NAMES) == set(Article.Phase)


def test_a_trial_without_a_phase_states_no_kind_of_trial(api):
    article = ArticleFactory(phase=Article.Phase.NOT_APPLICABLE)
    assert "additionalType" not in json_ld(api, article)["about"]


def test_the_trial_registry_number_is_its_code_identifier_and_same_as(demo):
    trial = demo["about"]
    assert trial["code"] == [
        {"@type": "MedicalCode", "codeValue": "NCT01933802", "codingSystem": "ClinicalTrials.gov"}
    ]
    assert trial["identifier"] == [
        {
            "@type": "PropertyValue",
            "propertyID": "ClinicalTrials.gov",
            "value": "NCT01933802",
            "url": "https://clinicaltrials.gov/study/NCT01933802",
        }
    ]
    assert trial["sameAs"] == ["https://clinicaltrials.gov/study/NCT01933802"]


def test_a_doi_or_pmid_identifies_a_cited_work_not_the_trial(api):
    article = ArticleFactory()
    ReferenceFactory(article=article, kind=Reference.Kind.DOI, identifier="10.1000/x(1)", url="")
    ReferenceFactory(article=article, kind=Reference.Kind.PMID, identifier="27050123", url="")
    document = json_ld(api, article)
    assert "identifier" not in document["about"]
    assert [work["identifier"] for work in document["citation"]] == [
        {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": "10.1000/x(1)",
            "url": "https://doi.org/10.1000/x(1)",
        },
        {
            "@type": "PropertyValue",
            "propertyID": "PubMed",
            "value": "27050123",
            "url": "https://pubmed.ncbi.nlm.nih.gov/27050123/",
        },
    ]
    assert [work["sameAs"] for work in document["citation"]] == [
        "https://doi.org/10.1000/x(1)",
        "https://pubmed.ncbi.nlm.nih.gov/27050123/",
    ]


# The publisher


def test_the_publisher_is_the_configured_clinic(api, settings):
    settings.CLINIC_NAME, settings.CLINIC_URL = "Example Clinic", "https://clinic.example/"
    assert json_ld(api, ArticleFactory())["publisher"] == {
        "@type": "Organization",
        "name": "Example Clinic",
        "url": "https://clinic.example/",
    }


def test_without_a_clinic_name_the_publisher_is_the_host_serving_the_api(api, settings):
    settings.CLINIC_NAME, settings.CLINIC_URL = "", ""
    assert json_ld(api, ArticleFactory())["publisher"] == {
        "@type": "Organization",
        "name": "testserver",
        "url": "http://testserver/",
    }
