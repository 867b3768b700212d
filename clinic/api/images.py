"""Library images as the API serves them: addresses, responsive sizes and translated text.

An image is served as the renditions listed on it (``Image.renditions``, made when it was
uploaded: :mod:`clinic.images.renditions`), so a response costs no storage call and no
query; its text (alternative text, caption, credit) falls back field by field like every
translated object's, and says so in its ``translation`` block.
"""

import re
from collections.abc import Mapping

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinic.html import LIBRARY_IMAGE
from clinic.i18n.serializers import (
    TranslatedField,
    TranslatedObjectSerializer,
    localized_for,
    translation_info,
)
from clinic.images.models import Image

#: The width a ``src`` aims at: the widest rendition up to it (frontends pick from srcset).
SRC_WIDTH = 960
#: How wide a body image is shown, for the browser's choice among ``srcset``.
BODY_SIZES = f"(min-width: {SRC_WIDTH}px) {SRC_WIDTH}px, 100vw"
WEBP = "image/webp"
#: An image of sanitised HTML (the sanitiser keeps ``src`` alone: clinic.html).
_IMG = re.compile(r'<img src="([^"]*)">')


class ImageSourceSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Media type of the files, e.g. image/webp.")
    srcset = serializers.CharField(help_text="Comma-separated “URL width” pairs.")


class ImageFileSerializer(serializers.Serializer):
    src = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class ImageVersionSerializer(serializers.Serializer):
    """One shape of an image: its own, or a crop around the focal point."""

    src = serializers.URLField(help_text="The widest file up to 960 px, in the original's format.")
    width = serializers.IntegerField(help_text="Width of src, in pixels.")
    height = serializers.IntegerField(help_text="Height of src, in pixels.")
    type = serializers.CharField(help_text="Media type of src and srcset.")
    srcset = serializers.CharField(help_text="Every width, in the original's format.")
    sources = ImageSourceSerializer(
        many=True, help_text="The same widths in other formats (WebP), for <picture>."
    )
    largest = ImageFileSerializer(
        help_text="The widest file in the original's format (og:image, JSON-LD)."
    )


class ImageSerializer(TranslatedObjectSerializer):
    """A library image; ``src`` to ``largest`` describe its own shape, as each crop's do."""

    id = serializers.UUIDField(source="key", help_text="Stable identifier of the library image.")
    alt_text = serializers.SerializerMethodField(
        help_text="Alternative text; empty for a decorative image."
    )
    decorative = serializers.BooleanField(help_text="Adds nothing a reader needs (empty alt).")
    caption = TranslatedField()
    credit = TranslatedField(help_text="Who made it and under which licence, as recorded.")
    license_url = serializers.SerializerMethodField()
    src = serializers.SerializerMethodField(
        help_text=ImageVersionSerializer().fields["src"].help_text
    )
    width = serializers.SerializerMethodField(help_text="Width of src, in pixels.")
    height = serializers.SerializerMethodField(help_text="Height of src, in pixels.")
    type = serializers.SerializerMethodField(help_text="Media type of src and srcset.")
    srcset = serializers.SerializerMethodField(help_text="Every width, in the original's format.")
    sources = serializers.SerializerMethodField(
        help_text="The same widths in other formats (WebP), for <picture>."
    )
    largest = serializers.SerializerMethodField(
        help_text="The widest file in the original's format (og:image, JSON-LD)."
    )
    crops = serializers.SerializerMethodField(
        help_text="Ratio (IMAGE_CROP_RATIOS, e.g. 16:9) → the image cropped around its focal point."
    )

    def to_representation(self, image: Image) -> dict:
        text = localized_for(image, self.context)
        versions = self._versions(image)
        return {
            **translation_info(text),
            "id": str(image.key),
            "alt_text": self.get_alt_text(image),
            "decorative": image.decorative,
            "caption": text.values["caption"],
            "credit": text.values["credit"],
            "license_url": self.get_license_url(image),
            **versions.get("", _NO_VERSION),
            "crops": {ratio: version for ratio, version in versions.items() if ratio},
        }

    def _versions(self, image: Image) -> dict[str, dict]:
        return image_versions(image, self.context["request"])

    def _own(self, image: Image) -> dict:
        return self._versions(image).get("", _NO_VERSION)

    def get_alt_text(self, image: Image) -> str:
        return "" if image.decorative else localized_for(image, self.context).values["alt_text"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_license_url(self, image: Image) -> str | None:
        return image.license_url or None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_src(self, image: Image) -> str | None:
        return self._own(image)["src"]

    def get_width(self, image: Image) -> int:
        return self._own(image)["width"]

    def get_height(self, image: Image) -> int:
        return self._own(image)["height"]

    def get_type(self, image: Image) -> str:
        return self._own(image)["type"]

    def get_srcset(self, image: Image) -> str:
        return self._own(image)["srcset"]

    @extend_schema_field(ImageSourceSerializer(many=True))
    def get_sources(self, image: Image) -> list[dict]:
        return self._own(image)["sources"]

    @extend_schema_field(ImageFileSerializer(allow_null=True))
    def get_largest(self, image: Image) -> dict | None:
        return self._own(image)["largest"]

    @extend_schema_field(serializers.DictField(child=ImageVersionSerializer()))
    def get_crops(self, image: Image) -> dict:
        return {ratio: version for ratio, version in self._versions(image).items() if ratio}


def card_ratio() -> str:
    """The shape of an image in a list: the first of ``IMAGE_CROP_RATIOS`` ("" for its own)."""
    return settings.IMAGE_CROP_RATIOS[0] if settings.IMAGE_CROP_RATIOS else ""


class CardImageSerializer(ImageSerializer):
    """A library image as a list shows it: the text as in the detail and one shape, the
    card's crop (ratio); the other shapes and the largest file are in the article's detail."""

    ratio = serializers.SerializerMethodField(
        help_text="The crop shown (the first of IMAGE_CROP_RATIOS, e.g. 16:9), or null for "
        "the image's own shape."
    )
    largest = None
    crops = None

    def to_representation(self, image: Image) -> dict:
        return as_card(super().to_representation(image))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_ratio(self, image: Image) -> str | None:
        return as_card(ImageSerializer(context=self.context).to_representation(image))["ratio"]


#: What describes one shape of an image (ImageVersionSerializer), and what a card keeps of it.
VERSION_FIELDS = frozenset({*ImageVersionSerializer().fields, "crops"})
CARD_VERSION_FIELDS = ("src", "width", "height", "type", "srcset", "sources")


def as_card(image: dict | None) -> dict | None:
    """An image as :class:`ImageSerializer` gives it, as a card (:class:`CardImageSerializer`)."""
    if image is None:
        return None
    ratio = card_ratio()
    card = image["crops"].get(ratio) if ratio else None
    shown = card or image
    return {
        **{name: value for name, value in image.items() if name not in VERSION_FIELDS},
        "ratio": ratio if card else None,
        **{name: shown[name] for name in CARD_VERSION_FIELDS},
    }


_NO_VERSION = {
    "src": None,
    "width": 0,
    "height": 0,
    "type": "",
    "srcset": "",
    "sources": [],
    "largest": None,
}


def image_versions(image: Image, request) -> dict[str, dict]:
    """Ratio ("" for the image's own shape) → ``src``, size, ``srcset`` and other formats."""
    by_ratio: dict[str, list[dict]] = {}
    for rendition in image.renditions:
        by_ratio.setdefault(rendition["ratio"], []).append(rendition)
    original_type = next((r["type"] for r in image.renditions if r["type"] != WEBP), WEBP)
    versions = {}
    for ratio, renditions in by_ratio.items():
        main = sorted((r for r in renditions if r["type"] == original_type), key=_width)
        others = sorted((r for r in renditions if r["type"] != original_type), key=_width)
        fitting = [r for r in main if r["width"] <= SRC_WIDTH] or main[:1]
        src = fitting[-1]
        versions[ratio] = {
            "src": _url(src["name"], request),
            "width": src["width"],
            "height": src["height"],
            "type": original_type,
            "srcset": _srcset(main, request),
            "sources": [{"type": WEBP, "srcset": _srcset(others, request)}] if others else [],
            "largest": {
                "src": _url(main[-1]["name"], request),
                "width": main[-1]["width"],
                "height": main[-1]["height"],
            },
        }
    return versions


def _width(rendition: dict) -> int:
    return rendition["width"]


def _srcset(renditions: list[dict], request) -> str:
    return ", ".join(f"{_url(r['name'], request)} {r['width']}w" for r in renditions)


def _url(name: str, request) -> str:
    return request.build_absolute_uri(default_storage.url(name))


def image_html(image: Image, context: Mapping) -> str:
    """A body image as HTML: ``<picture>`` with WebP and the original's format, in the
    language served (alternative text from the library)."""
    data = ImageSerializer(context=context).to_representation(image)
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        ((source["type"], source["srcset"], BODY_SIZES) for source in data["sources"]),
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" '
        'loading="lazy" decoding="async"></picture>',
        sources,
        data["src"],
        data["srcset"],
        BODY_SIZES,
        data["width"],
        data["height"],
        data["alt_text"],
    )


def body_with_images(html: str, images: Mapping[str, Image], context: Mapping) -> str:
    """Sanitised ``html`` with each library image served from the library (unknown: removed)."""
    if "<img" not in html:
        return html

    def served(match) -> str:
        found = LIBRARY_IMAGE.match(match[1].replace("&amp;", "&"))
        image = images.get(found["key"]) if found else None
        return image_html(image, context) if image is not None else ""

    return _IMG.sub(served, html)
