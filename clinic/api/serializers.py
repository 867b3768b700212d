from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinic.content import public_querysets
from clinic.i18n.completeness import completeness_by_type
from clinic.i18n.languages import Language, fallback_chain
from clinic.i18n.serializers import (
    LanguageCodeField,
    TextDirectionField,
    TranslatedField,
    TranslatedObjectSerializer,
    localized_for,
    translation_info,
)
from clinic.models import ContactLine, Disclaimer


class ContactLineSerializer(TranslatedObjectSerializer):
    e164 = serializers.CharField(source="number", help_text="The number in E.164 form.")
    display = serializers.CharField(help_text="International format for people.")
    uri = serializers.CharField(help_text="A tel: URI for links.")
    kind = serializers.ChoiceField(choices=ContactLine.Kind.choices)
    label = TranslatedField()
    languages = serializers.ListField(
        child=LanguageCodeField(), help_text="Codes of the languages spoken on the line."
    )


class DisclaimerSerializer(TranslatedObjectSerializer):
    key = serializers.SlugField(help_text="Stable identifier, e.g. treatment-results.")
    applies_to = serializers.ChoiceField(choices=Disclaimer.AppliesTo.choices)
    text = TranslatedField()

    def to_representation(self, disclaimer) -> dict:
        text = localized_for(disclaimer, self.context)
        return {
            **translation_info(text),
            "key": disclaimer.key,
            "applies_to": disclaimer.applies_to,
            "text": text.values["text"],
        }


class CompletenessSerializer(serializers.Serializer):
    percent = serializers.FloatField(help_text="Share of translatable fields that are current.")
    current = serializers.IntegerField()
    stale = serializers.IntegerField()
    missing = serializers.IntegerField()
    total = serializers.IntegerField()


class LanguageSerializer(serializers.Serializer):
    code = LanguageCodeField()
    name = serializers.CharField(help_text="English name.")
    name_local = serializers.CharField(help_text="Native name.")
    dir = TextDirectionField()
    default = serializers.SerializerMethodField(help_text="Whether this is the source language.")
    fallback = serializers.SerializerMethodField(help_text="Languages tried, in order, per field.")
    completeness = serializers.SerializerMethodField(
        help_text="Per content type: articles, topics, contacts, disclaimers, images, reviewers."
    )

    def get_default(self, language: Language) -> bool:
        return language.is_source

    @extend_schema_field(serializers.ListField(child=LanguageCodeField()))
    def get_fallback(self, language: Language) -> list[str]:
        return fallback_chain(language.code)

    @extend_schema_field(serializers.DictField(child=CompletenessSerializer()))
    def get_completeness(self, language: Language) -> dict:
        """Counted over what the public may see.

        Unpublished articles are not counted, nor reviewers who never recorded a review.
        Figures the view has already (the read model's sums) are used as they are.
        """
        if "completeness" in self.context:
            return self.context["completeness"][language.code]
        return {
            name: figures.as_dict()
            for name, figures in completeness_by_type(language.code, public_querysets()).items()
        }
