import functools
from urllib.parse import quote

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from articles.jsonld import article_json_ld
from articles.models import Article, Reference
from clinic.api.images import CardImageSerializer, ImageSerializer, body_with_images
from clinic.api.serializers import DisclaimerSerializer
from clinic.html import library_image_keys
from clinic.i18n.languages import language_codes, source_language
from clinic.i18n.registry import localized
from clinic.i18n.serializers import (
    LanguageCodeField,
    TranslatedField,
    TranslatedObjectSerializer,
    alternates_schema,
    localized_for,
    translation_info,
)
from clinic.i18n.state import TRANSLATION_STATES, attach_states, is_translation_published
from clinic.images.models import Image
from clinic.memo import Memo
from clinic.published.pages import page_alternates, served_page
from clinic.reviews.models import MedicalReview, Reviewer
from clinic.reviews.services import current_review

SLUG_PLACEHOLDER = "SLUG-PLACEHOLDER"

ALTERNATES: Memo[dict[str, str]] = Memo(
    "alternates",
    holds="language (and x-default) → absolute URL of each version of an article "
    "a reader may see, in the request being served",
    filled_by="ArticleListSerializer",
    invalidated_by="a write of its translation states (derived from them); the URLs "
    "are of one request, whose article instances are not served again",
    derived_from=(TRANSLATION_STATES,),
)


@functools.lru_cache(maxsize=4096)
def quoted(slug: str) -> str:
    """A slug as a path segment (percent-encoded; Arabic and Ukrainian slugs are long to encode)."""
    return quote(slug, safe="")


def published_slugs(article: Article, *, preview: bool = False) -> dict[str, str]:
    """Language → slug of each language version a reader may see (the source always).

    In a preview, unpublished language versions count too.
    """
    versions = {}
    for language in language_codes():
        slug = getattr(article, localized("slug", language))
        if slug and (preview or is_translation_published(article, language)):
            versions[language] = slug
    return versions


PAGE_URL_HELP = (
    "The public page of the version served, on the site (PUBLIC_{kind}_URL); null when no page "
    "URL is configured."
)
PAGE_ALTERNATES_HELP = (
    "Language (and x-default: the source language's page) → public page of each published "
    "version, for hreflang on the site; empty when no page URL is configured."
)


def topic_slugs(topic, *, preview: bool = False) -> dict[str, str]:
    """Language → slug of each language version of a topic a reader may see (the source always)."""
    versions = {}
    for language in language_codes():
        slug = getattr(topic, localized("slug", language))
        published = language == source_language() or is_translation_published(topic, language)
        if slug and (preview or published):
            versions[language] = slug
    return versions


class TopicSerializer(TranslatedObjectSerializer):
    slug = TranslatedField()
    name = TranslatedField()
    page_url = serializers.SerializerMethodField(help_text=PAGE_URL_HELP.format(kind="TOPIC"))
    page_alternates = serializers.SerializerMethodField(help_text=PAGE_ALTERNATES_HELP)

    def to_representation(self, topic) -> dict:
        text = localized_for(topic, self.context)
        pages = self.get_page_alternates(topic)
        return {
            **translation_info(text),
            "slug": text.values["slug"],
            "name": text.values["name"],
            "page_url": served_page(pages, text.language),
            "page_alternates": pages,
        }

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_page_url(self, topic) -> str | None:
        return served_page(
            self.get_page_alternates(topic), localized_for(topic, self.context).language
        )

    @extend_schema_field(alternates_schema(always=False))
    def get_page_alternates(self, topic) -> dict[str, str]:
        return page_alternates(
            "topic", topic_slugs(topic, preview=self.context.get("preview", False))
        )


def _datetime(field: serializers.Field, value) -> str | None:
    return None if value is None else _iso_datetime(value)


#: DRF's rendering of a date-time (in the configured time zone), memoised: an article's
#: dates are rendered for every language and document.
_iso_datetime = functools.lru_cache(maxsize=4096)(serializers.DateTimeField().to_representation)


@functools.cache
def _phase_labels() -> dict[str, object]:
    """Phase value → its (lazy, translated when shown) label."""
    return dict(Article.Phase.choices)


@extend_schema_serializer(component_name="ArticleSummary")
class ArticleListSerializer(TranslatedObjectSerializer):
    slug = TranslatedField(help_text="Slug in the language served; any language's slug works.")
    url = serializers.SerializerMethodField(help_text="This article in the language served.")
    title = TranslatedField()
    summary = TranslatedField()
    topics = TopicSerializer(many=True, source="topic_list")
    image = CardImageSerializer(
        source="lead_image",
        allow_null=True,
        help_text="The lead image as a card shows it (one crop, `ratio`), or null; the "
        "article's detail has every shape.",
    )
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    available_languages = serializers.SerializerMethodField(
        help_text="Languages in which the article is published."
    )
    alternates = serializers.SerializerMethodField(
        help_text="Language (and x-default) → absolute API URL of that version."
    )
    page_url = serializers.SerializerMethodField(help_text=PAGE_URL_HELP.format(kind="ARTICLE"))
    page_alternates = serializers.SerializerMethodField(help_text=PAGE_ALTERNATES_HELP)

    def to_representation(self, article: Article) -> dict:
        text = localized_for(article, self.context)
        fields = self.fields
        topics = fields["topics"].child
        return {
            **translation_info(text),
            "slug": text.values["slug"],
            "url": self.get_url(article),
            "title": text.values["title"],
            "summary": text.values["summary"],
            "topics": [topics.to_representation(topic) for topic in article.topic_list],
            "image": self._lead_image(article),
            "published_at": _datetime(fields["published_at"], article.published_at),
            "updated_at": _datetime(fields["updated_at"], article.updated_at),
            "available_languages": self.get_available_languages(article),
            "alternates": self._alternates(article),
            "page_url": self.get_page_url(article),
            "page_alternates": self.get_page_alternates(article),
        }

    def _lead_image(self, article: Article) -> dict | None:
        if article.lead_image_id is None:
            return None
        return self.fields["image"].to_representation(article.lead_image)

    def _url(self, slug: str, language: str) -> str:
        """The absolute URL of the article version; reversed once per request, not per link."""
        if not hasattr(self, "_url_template"):
            if token := self.context.get("preview_token"):
                path = reverse("api:article-preview", kwargs={"token": token})
            else:
                path = reverse("api:article-detail", kwargs={"slug": SLUG_PLACEHOLDER})
            self._url_template = self.context["request"].build_absolute_uri(path)
        url = self._url_template.replace(SLUG_PLACEHOLDER, quoted(slug))
        return f"{url}?lang={language}"

    def get_url(self, article: Article) -> str:
        alternates = self._alternates(article)
        return alternates.get(
            localized_for(article, self.context).language, alternates["x-default"]
        )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_page_url(self, article: Article) -> str | None:
        return served_page(
            self.get_page_alternates(article), localized_for(article, self.context).language
        )

    @extend_schema_field(alternates_schema(always=False))
    def get_page_alternates(self, article: Article) -> dict[str, str]:
        return page_alternates(
            "article", published_slugs(article, preview=self.context.get("preview", False))
        )

    @extend_schema_field(serializers.ListField(child=LanguageCodeField()))
    def get_available_languages(self, article: Article) -> list[str]:
        return list(published_slugs(article, preview=self.context.get("preview", False)))

    @extend_schema_field(alternates_schema())
    def get_alternates(self, article: Article) -> dict[str, str]:
        return self._alternates(article)

    def _alternates(self, article: Article) -> dict[str, str]:
        alternates = ALTERNATES.get(article)
        if alternates is None:
            versions = published_slugs(article, preview=self.context.get("preview", False))
            alternates = {
                language: self._url(slug, language) for language, slug in versions.items()
            }
            alternates["x-default"] = alternates[source_language()]
            ALTERNATES.set(article, alternates)
        return alternates


class ReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reference
        fields = ["kind", "identifier", "url"]

    def to_representation(self, reference: Reference) -> dict:
        return {"kind": reference.kind, "identifier": reference.identifier, "url": reference.url}


def _date(value) -> str | None:
    return None if value is None else value.isoformat()


class StudySerializer(serializers.Serializer):
    title = serializers.CharField(
        source="study_title", help_text="The trial's registered name (not translated)."
    )
    condition = TranslatedField()
    intervention = TranslatedField()
    phase = serializers.ChoiceField(
        choices=Article.Phase.choices, allow_blank=True, help_text="Machine value, e.g. phase1."
    )
    phase_label = serializers.CharField(
        source="get_phase_display", help_text="In the request language."
    )
    enrollment = serializers.IntegerField(allow_null=True, help_text="Number of participants.")
    institution = serializers.CharField()
    institution_place = serializers.CharField(help_text="Where the study ran.")
    lead_investigator = serializers.CharField()
    presented_at = serializers.CharField()
    presented_on = serializers.DateField(allow_null=True)
    presented_place = serializers.CharField()
    references = ReferenceSerializer(many=True, source="reference_list")


class ReviewerSerializer(TranslatedObjectSerializer):
    name = serializers.CharField(help_text="The reviewer's name (not translated).")
    credentials = TranslatedField(help_text="Degrees and specialty, e.g. “MD, neurologist”.")

    def to_representation(self, reviewer: Reviewer) -> dict:
        text = localized_for(reviewer, self.context)
        return {
            **translation_info(text),
            "name": reviewer.name,
            "credentials": text.values["credentials"],
        }


class MedicalReviewSerializer(serializers.Serializer):
    """A current review of the text served: who reviewed it and when. Never stated otherwise."""

    reviewer = ReviewerSerializer()
    last_reviewed = serializers.DateField(source="reviewed_on")

    def to_representation(self, review: MedicalReview) -> dict:
        return {
            "reviewer": self.fields["reviewer"].to_representation(review.reviewer),
            "last_reviewed": review.reviewed_on.isoformat(),
        }


@extend_schema_serializer(component_name="ArticleDetail")
class ArticleDetailSerializer(ArticleListSerializer):
    image = ImageSerializer(
        source="lead_image", allow_null=True, help_text="The lead image, or null."
    )
    body = serializers.SerializerMethodField(
        help_text="Sanitised HTML; library images as <picture> elements in the language served."
    )
    body_images = serializers.SerializerMethodField(
        help_text="The library images of the body, in order (alt text and fallback)."
    )
    seo_title = TranslatedField()
    seo_description = TranslatedField()
    study = StudySerializer(source="*")
    medical_review = serializers.SerializerMethodField(
        help_text="The current medical review of the text served, or null when there is none "
        "(never reviewed, or the text changed since its review)."
    )
    disclaimers = serializers.SerializerMethodField()
    json_ld = serializers.SerializerMethodField(
        help_text="schema.org NewsArticle about a MedicalTrial, in the language served."
    )

    def to_representation(self, article: Article) -> dict:
        text = localized_for(article, self.context)
        fields = self.fields
        references = fields["study"].fields["references"].child
        review = self.get_medical_review(article)  # stated twice: in the detail and its JSON-LD
        listing = super().to_representation(article)
        return {
            **listing,
            "body": self.get_body(article),
            "body_images": self.get_body_images(article),
            "seo_title": text.values["seo_title"],
            "seo_description": text.values["seo_description"],
            "study": {
                "title": article.study_title,
                "condition": text.values["condition"],
                "intervention": text.values["intervention"],
                "phase": article.phase,
                "phase_label": str(_phase_labels().get(article.phase, article.phase)),
                "enrollment": article.enrollment,
                "institution": article.institution,
                "institution_place": article.institution_place,
                "lead_investigator": article.lead_investigator,
                "presented_at": article.presented_at,
                "presented_on": _date(article.presented_on),
                "presented_place": article.presented_place,
                "references": [references.to_representation(ref) for ref in article.reference_list],
            },
            "medical_review": review,
            "disclaimers": self.get_disclaimers(article),
            "json_ld": self._json_ld(article, review, listing["image"]),
        }

    def get_body(self, article: Article) -> str:
        body = localized_for(article, self.context).values["body"]
        return body_with_images(body, self._body_images(article), self.context)

    @extend_schema_field(ImageSerializer(many=True))
    def get_body_images(self, article: Article) -> list[dict]:
        serializer = ImageSerializer(context=self.context)
        return [
            serializer.to_representation(image) for image in self._body_images(article).values()
        ]

    def _body_images(self, article: Article) -> dict[str, Image]:
        """Key → library image of each image in the body served, in order (unknown keys left
        out).

        From ``context["images"]``, where the caller may have loaded a batch's images at
        once (the read model does); those missing there are loaded here, with their
        translation states, and kept there.
        """
        keys = library_image_keys(localized_for(article, self.context).values["body"])
        if not keys:
            return {}
        loaded = self.context.setdefault("images", {})
        missing = [key for key in keys if key not in loaded]
        if missing:
            found = Image.objects.by_keys(missing)
            attach_states(found.values())
            loaded.update(found)
        return {key: loaded[key] for key in keys if key in loaded}

    @extend_schema_field(MedicalReviewSerializer(allow_null=True))
    def get_medical_review(self, article: Article) -> dict | None:
        review = current_review(article, localized_for(article, self.context).language)
        if review is None:
            return None
        return MedicalReviewSerializer(context=self.context).to_representation(review)

    @extend_schema_field(DisclaimerSerializer(many=True))
    def get_disclaimers(self, article: Article) -> list[dict]:
        serializer = DisclaimerSerializer(context=self.context)
        return [serializer.to_representation(item) for item in self.context["disclaimers"]]

    @extend_schema_field(serializers.DictField())
    def get_json_ld(self, article: Article) -> dict:
        return self._json_ld(article, self.get_medical_review(article), self._lead_image(article))

    def _json_ld(self, article: Article, review: dict | None, image: dict | None) -> dict:
        text = localized_for(article, self.context)
        url = self.get_page_url(article) or self.get_url(article)
        return article_json_ld(article, text, url=url, review=review, image=image)
