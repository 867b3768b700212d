"""The one place API serializers get translated text, language, ``dir`` and fallback from."""

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinic.i18n.fallback import Localized, localize
from clinic.i18n.languages import language_codes, source_language

#: Directions of text (``dir``): the closed set of the ``TextDirection`` enum.
TEXT_DIRECTIONS = ("ltr", "rtl")


def language_code_schema() -> dict:
    """A configured language code: the ``LanguageCode`` enum of the OpenAPI schema."""
    return {"type": "string", "enum": language_codes()}


@extend_schema_field(language_code_schema())
class LanguageCodeField(serializers.CharField):
    """A configured language code (``en``, ``ar``, ``uk``)."""


@extend_schema_field({"type": "string", "enum": list(TEXT_DIRECTIONS)})
class TextDirectionField(serializers.CharField):
    """``ltr`` or ``rtl``."""


def alternates_schema(*, always: bool = True) -> dict:
    """Language code (and ``x-default``, the source language's version) → absolute URL.

    ``always``: the source language and ``x-default`` are always there (the API's own
    URLs); public page URLs are there only when their template is configured.
    """
    url = {"type": "string", "format": "uri"}
    schema = {
        "type": "object",
        "properties": {**{code: url for code in language_codes()}, "x-default": url},
        "additionalProperties": False,
    }
    if always:
        schema["required"] = [source_language(), "x-default"]
    return schema


def localized_for(instance, context: dict) -> Localized:
    return localize(
        instance, context.get("language") or get_language(), preview=context.get("preview", False)
    )


class TranslatedField(serializers.Field):
    """A translated model field as served in the request language (see clinic.i18n.fallback)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, instance) -> str:
        return localized_for(instance, self.context).values[self.field_name]


extend_schema_field({"type": "string"})(TranslatedField)


class TranslationInfoSerializer(serializers.Serializer):
    fallback_fields = serializers.ListField(
        child=serializers.CharField(),
        help_text="Fields served in the source language because the translation is "
        "missing or not published.",
    )
    stale_fields = serializers.ListField(
        child=serializers.CharField(),
        help_text="Fields whose translation was made from an older source text.",
    )


def translation_info(text: Localized) -> dict:
    """``language``, ``dir`` and ``translation`` of one object's representation."""
    return {
        "language": text.language,
        "dir": text.dir,
        "translation": {"fallback_fields": text.fallback_fields, "stale_fields": text.stale_fields},
    }


class TranslatedObjectSerializer(serializers.Serializer):
    """Base for every translated object: adds ``language``, ``dir`` and ``translation``.

    The declared fields document the shape (OpenAPI). Serializers of the hot
    read paths write their ``to_representation`` out by hand, as plain dicts,
    a few times faster than DRF's field-by-field walk; tests compare each with
    DRF's own output for the same object (tests/api/test_representations.py).
    """

    language = serializers.SerializerMethodField(help_text="Language of the text.")
    dir = serializers.SerializerMethodField(help_text="Direction of the text: ltr or rtl.")
    translation = serializers.SerializerMethodField()

    @extend_schema_field(LanguageCodeField)
    def get_language(self, instance) -> str:
        return localized_for(instance, self.context).language

    @extend_schema_field(TextDirectionField)
    def get_dir(self, instance) -> str:
        return localized_for(instance, self.context).dir

    @extend_schema_field(TranslationInfoSerializer)
    def get_translation(self, instance) -> dict:
        localized = localized_for(instance, self.context)
        return {
            "fallback_fields": localized.fallback_fields,
            "stale_fields": localized.stale_fields,
        }
