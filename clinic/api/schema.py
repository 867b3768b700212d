"""OpenAPI: the language parameter, header and error shape on every operation."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from clinic.i18n.languages import language_codes

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
    return result
