"""The schema a client generator reads: named enums for closed sets, readable names and ids,
parameters typed as they are accepted."""

import pytest

from articles.models import Article, Reference
from clinic.models import ContactLine, Disclaimer
from tests.api.live import OPERATIONS

pytestmark = pytest.mark.django_db

ENUMS = {
    "LanguageCode": ["en", "ar", "uk"],
    "TextDirection": ["ltr", "rtl"],
    "StudyPhase": list(Article.Phase.values),
    "ReferenceKind": list(Reference.Kind.values),
    "ContactKind": list(ContactLine.Kind.values),
    "DisclaimerScope": list(Disclaimer.AppliesTo.values),
    "ArticleOrdering": [
        "-published_at",
        "-title",
        "-updated_at",
        "published_at",
        "title",
        "updated_at",
    ],
    "HealthStatus": ["ok", "degraded", "unavailable"],
    "CheckStatus": ["ok", "unavailable"],
}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return response.json()


def components(schema) -> dict:
    return schema["components"]["schemas"]


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def refers(prop: dict, name: str) -> bool:
    """Whether a property is the component ``name`` (itself, or with a description)."""
    return ref(name) in (prop, *prop.get("allOf", []), *prop.get("oneOf", []))


def inline_enums(node, path: str = "$"):
    """Every ``enum`` of the schema outside a top-level component."""
    if isinstance(node, dict):
        if "enum" in node:
            yield path
        for key, value in node.items():
            yield from inline_enums(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from inline_enums(value, f"{path}[{index}]")


@pytest.mark.parametrize(("name", "values"), ENUMS.items())
def test_every_closed_set_is_a_named_enum(schema, name, values):
    assert sorted(components(schema)[name]["enum"]) == sorted(values)


def test_no_enum_is_left_inline_where_a_generator_would_name_it_after_its_place(schema):
    assert list(inline_enums(schema["paths"])) == []
    for name, component in components(schema).items():
        assert list(inline_enums(component.get("properties", {}))) == [], name


def test_fields_of_closed_sets_refer_to_their_enum(schema):
    schemas = components(schema)
    for name in ("ArticleSummary", "ArticleDetail", "Topic", "ContactLine", "Disclaimer"):
        properties = schemas[name]["properties"]
        assert refers(properties["language"], "LanguageCode"), name
        assert refers(properties["dir"], "TextDirection"), name
    summary = schemas["ArticleSummary"]["properties"]
    assert refers(summary["available_languages"]["items"], "LanguageCode")
    assert refers(schemas["Language"]["properties"]["code"], "LanguageCode")
    assert refers(schemas["Language"]["properties"]["fallback"]["items"], "LanguageCode")
    contact = schemas["ContactLine"]["properties"]
    assert refers(contact["languages"]["items"], "LanguageCode")
    assert refers(contact["kind"], "ContactKind")
    assert refers(schemas["Disclaimer"]["properties"]["applies_to"], "DisclaimerScope")
    assert refers(schemas["Reference"]["properties"]["kind"], "ReferenceKind")
    assert refers(schemas["Study"]["properties"]["phase"], "StudyPhase")
    for field in ("fallback_fields", "stale_fields"):
        items = schemas["TranslationInfo"]["properties"][field]["items"]
        assert refers(items, "TranslatedFieldName")


def test_translated_field_names_are_those_a_translator_translates(schema):
    names = set(components(schema)["TranslatedFieldName"]["enum"])
    assert {"title", "summary", "body", "name", "label", "text", "credentials"} <= names
    assert "slug" not in names  # derived: never listed in fallback_fields


def test_alternates_name_every_language_and_require_x_default(schema):
    alternates = components(schema)["ArticleSummary"]["properties"]["alternates"]
    assert set(alternates["properties"]) == {"en", "ar", "uk", "x-default"}
    assert set(alternates["required"]) == {"en", "x-default"}


def test_component_names_are_readable(schema):
    names = set(components(schema))
    assert {"ArticleSummary", "ArticleSummaryPage", "ArticleDetail", "Error"} <= names
    assert not [name for name in names if name.startswith("Paginated") or "ListList" in name]
    assert not [name for name in names if name.endswith("Enum") and name != "BlankEnum"]


def test_operation_ids_are_readable_verbs(schema):
    ids = {
        operation["operationId"] for item in schema["paths"].values() for operation in item.values()
    }
    assert ids == OPERATIONS


def test_parameters_are_typed_as_they_are_accepted(schema):
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]
    }
    for name in ("published_after", "published_before"):
        formats = {option["format"] for option in parameters[name]["anyOf"]}
        assert formats == {"date", "date-time"}
    assert parameters["lang"] == ref("LanguageCode")
    assert parameters["ordering"] == ref("ArticleOrdering")
    assert parameters["topic"]["minLength"] == 1
    assert "minLength" not in parameters["q"]  # q= is allowed: a blank search is ignored
