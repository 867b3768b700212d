"""OpenAPI: the language parameter, header and error shape on every operation."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from clinic.i18n.languages import language_codes

ERROR_STATUSES = (400, 404, 405, 406, 429, 500)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable error code.")
    message = serializers.CharField(help_text="Human-readable, in the request language.")
    details = serializers.JSONField(
        allow_null=True, help_text="Per-parameter messages, supported values, ..."
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


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

    def get_response_serializers(self):
        responses = super().get_response_serializers()
        if not isinstance(responses, dict):
            responses = {200: responses}
        for status in ERROR_STATUSES:
            responses.setdefault(status, ErrorSerializer)
        return responses
