"""OpenAPI: the language parameter, header and error shape on every operation, and names.

Every closed set of values is a named enum component (``LanguageCode``,
``TextDirection``, ``StudyPhase``...: ``ENUM_NAME_OVERRIDES`` in the settings
names those drf-spectacular finds in serializers; :func:`name_closed_sets` adds
the rest and points parameters at them), so a generated client gets one type per
set, under a name that stays when fields are added.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from clinic.i18n.languages import language_codes
from clinic.i18n.registry import translatable_fields, translatable_models

ERROR_DESCRIPTIONS = {
    400: "Bad parameters (`invalid_parameters`, with a message per parameter) or an "
    "unsupported `lang` (`unsupported_language`, with the supported codes).",
    404: "Unknown or unpublished object, unknown path, or a page past the end.",
    405: "Only GET, HEAD and OPTIONS are allowed.",
    406: "Only application/json is served.",
    429: "Throttled; `Retry-After` says when to try again.",
    500: "Server error (no internals are shown).",
    503: "The database is briefly unavailable (`unavailable`); `Retry-After` says when to try "
    "again. Responses the server had cached are served instead, with `X-Cache: stale`.",
}
ERROR_COMPONENTS = {
    "ErrorDetail": {
        "type": "object",
        "properties": {
            "code": {"type": "string", "description": "Stable, machine-readable error code."},
            "message": {"type": "string", "description": "In the request language."},
            "details": {
                "nullable": True,
                "description": "Per-parameter messages, supported values, retry_after, ...",
            },
        },
        "required": ["code", "message", "details"],
    },
    "Error": {
        "type": "object",
        "properties": {"error": {"$ref": "#/components/schemas/ErrorDetail"}},
        "required": ["error"],
    },
}


def language_parameters() -> list[OpenApiParameter]:
    codes = language_codes()
    return [
        OpenApiParameter(
            "lang",
            str,
            OpenApiParameter.QUERY,
            description=(
                "Language of the response; wins over Accept-Language. A region subtag "
                "is accepted (ar-EG means ar); an unsupported value is a 400 "
                "`unsupported_language` error."
            ),
            enum=codes,
        ),
        OpenApiParameter(
            "Accept-Language",
            str,
            OpenApiParameter.HEADER,
            description=(
                "Used when `lang` is absent: q-values and region subtags are honoured, "
                "unsupported languages skipped, English when nothing matches."
            ),
        ),
    ]


class ApiAutoSchema(AutoSchema):
    def get_override_parameters(self):
        return [*super().get_override_parameters(), *language_parameters()]

    def get_paginated_name(self, serializer_name: str) -> str:
        """``ArticleSummaryPage``, not drf-spectacular's ``PaginatedArticleSummaryList``."""
        return f"{serializer_name}Page"


def translated_field_names() -> list[str]:
    """Every field a ``translation.fallback_fields`` or ``stale_fields`` list may name."""
    names = {name for model in translatable_models() for name in translatable_fields(model)}
    return sorted(names)


def ordering_names(values: list[str]) -> list[str]:
    """Names of ordering values for generated clients: ``-title`` is ``TITLE_DESC``."""
    return [
        f"{value[1:].upper()}_DESC" if value.startswith("-") else value.upper() for value in values
    ]


def _enum_ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def name_closed_sets(result: dict, generator, request, public) -> dict:
    """drf-spectacular post-processing hook (after its enum hook): the remaining closed sets.

    Field names in ``TranslationInfo`` become the ``TranslatedFieldName`` enum (the
    registry's translatable fields); a parameter whose values are a closed set refers
    to the enum component with the same values (``lang``: ``LanguageCode``), or to a new
    one named after the operation's tag and the parameter (``ordering``: ``ArticleOrdering``).
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["TranslatedFieldName"] = {"type": "string", "enum": translated_field_names()}
    info = schemas.get("TranslationInfo", {}).get("properties", {})
    for name in ("fallback_fields", "stale_fields"):
        if name in info:
            info[name]["items"] = _enum_ref("TranslatedFieldName")
    named = {
        frozenset(schema["enum"]): name
        for name, schema in schemas.items()
        if "enum" in schema and schema.get("type") == "string"
    }
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                if "enum" not in schema:
                    continue
                values = frozenset(schema["enum"])
                if values not in named:
                    tag = operation["tags"][0].removesuffix("s").capitalize()
                    name = f"{tag}{parameter['name'].capitalize()}"
                    schemas[name] = {"type": "string", "enum": schema["enum"]}
                    if any(value.startswith("-") for value in schema["enum"]):
                        schemas[name]["x-enum-varnames"] = ordering_names(schema["enum"])
                    named[values] = name
                parameter["schema"] = _enum_ref(named[values])
    result["components"]["schemas"] = dict(sorted(schemas.items()))
    return result


def add_error_responses(result: dict, generator, request, public) -> dict:
    """drf-spectacular post-processing hook: the JSON error shape on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_COMPONENTS)
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for status, description in ERROR_DESCRIPTIONS.items():
                operation["responses"].setdefault(
                    str(status),
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
            # The server itself (gunicorn) refuses a request line longer than 4,094 bytes
            # before the app sees it: a plain-text or HTML page, not the JSON error.
            operation["responses"].setdefault(
                "414", {"description": "The URL is too long (more than about 4 KB)."}
            )
    return result
