"""Parameters are accepted exactly as the schema types them: empty ones and ambiguous moments
are 400s in the JSON error shape."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.http import QueryDict
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError

from articles.api.filters import ArticleFilter, cleaned_filters
from articles.api.views import ArticleViewSet
from articles.models import Article
from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
ENDPOINTS = [
    LIST,
    "/api/v1/topics/",
    "/api/v1/contacts/",
    "/api/v1/disclaimers/",
    "/api/v1/languages/",
    "/api/v1/i18n/catalog/",
    "/healthz",
]


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_an_empty_lang_is_400_listing_the_supported_codes(api, url):
    response = api.get_json(url, lang="", accept_language="uk")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "unsupported_language"
    assert error["details"] == {"supported": ["en", "ar", "uk"]}
    assert response["Content-Language"] == "uk"  # the message in the Accept-Language language


@pytest.mark.parametrize(
    "name", ["topic", "ordering", "published_after", "published_before", "page", "page_size"]
)
def test_an_empty_filter_or_page_parameter_is_400_naming_it(api, name):
    ArticleFactory()
    response = api.get_json(LIST, **{name: ""})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameters"
    assert list(error["details"]) == [name]


def test_an_empty_search_is_ignored_as_documented(api):
    ArticleFactory(title_en="Kept")
    assert titles(api.get_json(LIST, q="")) == ["Kept"]


def test_the_empty_value_message_is_translated(api):
    response = api.get_json(LIST, lang="ar", topic="")
    assert response.json()["error"]["details"]["topic"] == ["أعطِ قيمة أو احذف هذا المعامل."]


@pytest.mark.parametrize(
    "moment",
    [
        "2016-04-22T09:00:00Z",
        "2016-04-22t09:00:00z",
        "2016-04-22T09:00:00+00:00",
        "2016-04-22T12:00:00+03:00",
        "2016-04-22T05:30:00-03:30",
        "2016-04-22T09:00:00.000000001Z",
    ],
)
def test_an_rfc3339_date_time_is_the_moment_it_names_in_any_offset(api, moment):
    ArticleFactory(title_en="At nine", published_at=datetime(2016, 4, 22, 9, tzinfo=UTC))
    assert titles(api.get_json(LIST, published_after=moment)) == ["At nine"]
    assert titles(api.get_json(LIST, published_before=moment)) == ["At nine"]


@pytest.mark.parametrize(
    "value",
    [
        "2016-04-22T09:00:00",  # no offset: which 09:00?
        "2016-04-22T09:00Z",  # no seconds
        "2016-04-22 09:00:00Z",  # a space for T
        "2016-04-22T09:00:00+0300",  # offset without its colon
        "2016-04-22T24:00:00Z",
        "2016-04-22T09:00:00+24:00",
        "٢٠١٦-٠٤-٢٢",  # Arabic-Indic digits
        " 2016-04-22",
        "2016-4-22",
        "0001-01-01T00:00:00+01:00",  # before the first day of the calendar in UTC
        "9999-12-31T23:59:59-01:00",  # after its last
    ],
)
def test_an_ambiguous_or_impossible_moment_is_400(api, value):
    ArticleFactory()
    for name in ("published_after", "published_before"):
        response = api.get_json(LIST, **{name: value})
        assert response.status_code == 400, (name, value)
        assert list(response.json()["error"]["details"]) == [name]


def test_a_list_without_filter_parameters_builds_no_filterset_and_no_model_queryset(api):
    ArticleFactory(title_en="Kept")
    refused = mock.Mock(side_effect=AssertionError("not needed without filters"))
    with (
        mock.patch("articles.api.filters._form_class", refused),
        mock.patch.object(ArticleViewSet, "filterset_class", refused),
        mock.patch.object(ArticleViewSet, "get_queryset", refused),
    ):
        assert titles(api.get_json(LIST, lang="ar", page="1", page_size="5")) == ["Kept"]
    refused.assert_not_called()


def test_a_filtered_list_builds_no_model_queryset(api):
    ArticleFactory(title_en="Kept").topics.add(TopicFactory(name_en="Stem cells"))
    with mock.patch.object(ArticleViewSet, "get_queryset", side_effect=AssertionError) as built:
        assert titles(api.get_json(LIST, topic="stem-cells", ordering="title")) == ["Kept"]
    built.assert_not_called()


@pytest.mark.parametrize("filters", [{}, {"topic": "stem-cells"}, {"q": "kept"}])
def test_unknown_parameters_are_ignored_with_or_without_filters(api, filters):
    ArticleFactory(title_en="Kept").topics.add(TopicFactory(name_en="Stem cells"))
    expected = api.get_json(LIST, **filters)
    response = api.get_json(LIST, unknown_parameter="x", **filters)
    assert (response.status_code, response.content) == (200, expected.content)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "unknown_parameter=x",
        "topic=stem-cells&ordering=-title",
        "topic=%20stem-cells%20",
        "topic=%20",
        "topic=a%00b",
        "topic=",
        "q=&ordering=",
        "q=" + "x" * 201,
        "published_after=2016-04-20&published_before=2016-04-20T12:00:00%2B03:00",
        "published_after=yesterday&ordering=secret",
        "ordering=title&ordering=bad",
        "topic=one&topic=two",
    ],
)
def test_filters_are_validated_as_the_filterset_validates_them(query):
    """The list validates with the FilterSet's own form, built once; the same values, the
    same errors."""
    data = QueryDict(query)
    filterset = ArticleFilter(data, queryset=Article.objects.none())
    if filterset.is_valid():
        cleaned = cleaned_filters(data)
        assert {name: value for name, value in filterset.form.cleaned_data.items() if value} == {
            name: value for name, value in cleaned.items() if value
        }
    else:
        with pytest.raises(ValidationError) as refused:
            cleaned_filters(data)
        assert refused.value.detail == translate_validation(filterset.errors).detail
