"""The OpenAPI schema documents every endpoint, the language parameter and header, and errors."""

import re

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/languages/",
    "/api/v1/articles/",
    "/api/v1/articles/{slug}/",
    "/api/v1/topics/",
    "/api/v1/contacts/",
    "/api/v1/disclaimers/",
    "/api/v1/i18n/catalog/",
    "/api/v1/preview/{token}/",
    "/healthz",
    "/readyz",
}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_schema_documents_every_endpoint(schema):
    assert set(schema["paths"]) == PATHS


def resolved(schema, item):
    """``item`` itself, or the component its ``$ref`` names."""
    if "$ref" in item:
        return schema["components"]["schemas"][item["$ref"].rsplit("/", 1)[1]]
    return item


def test_every_operation_documents_lang_and_accept_language(schema):
    for path, _method, operation in operations(schema):
        parameters = {(p["in"], p["name"]): p for p in operation["parameters"]}
        assert ("query", "lang") in parameters, path
        lang = resolved(schema, parameters[("query", "lang")]["schema"])
        assert set(lang["enum"]) == {"en", "ar", "uk"}
        assert ("header", "Accept-Language") in parameters, path


def test_every_operation_documents_the_error_shape(schema):
    for path, _method, operation in operations(schema):
        for status in ("400", "404", "405", "406", "429", "500"):
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (path, status)


def test_article_list_documents_its_filters(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}
    assert {
        "topic",
        "q",
        "published_after",
        "published_before",
        "ordering",
        "page",
        "page_size",
    } <= names


def test_schema_is_read_only(schema):
    assert {method for _path, method, _op in operations(schema)} == {"get"}


def test_docs_are_served_without_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui" in asset for asset in assets)
    assert all(asset.startswith("/") for asset in assets), assets
    assert "cdn" not in html.lower()


def test_examples_are_static_and_in_arabic(schema):
    content = schema["paths"]["/api/v1/articles/"]["get"]["responses"]["200"]["content"]
    example = next(iter(content["application/json"]["examples"].values()))["value"]
    assert example["results"][0]["dir"] == "rtl"
    assert "example.org" in example["results"][0]["url"]
