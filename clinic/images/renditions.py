"""Renditions of a library image: responsive widths in WebP and the original's format.

Pillow directly, in this one module, rather than easy-thumbnails, sorl-thumbnail or
django-imagekit: those make renditions when a page first asks for them, and remember
them in a table or a key-value store that every response would read; here renditions
are made once, when an image is uploaded or its focal point moves (so at write time,
as the rest of the read model), saved in the storage under names that say what they
are, and listed on the image, so an API response costs no storage call and no query.
Names never change meaning: a file once written is never rewritten (a new focal point
gives new names), so the storage and every cache in front of it may keep them forever.

Each image gets, for its own shape and for each of ``IMAGE_CROP_RATIOS`` (cropped around
the focal point), every width of ``IMAGE_RENDITION_WIDTHS`` up to its own (never
enlarged), in WebP and, unless the original is WebP, in its format (JPEG or PNG).
"""

from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as Pillow

from clinic.images.uploads import ACCEPTED, encoded

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Spec:
    """One rendition to have: the crop of the original, its width and its format."""

    ratio: str  # "" for the original's own shape, else "16:9"...
    box: Box
    width: int
    height: int
    format: str

    def name(self, key: str) -> str:
        extension = ACCEPTED[self.format][1]
        if not self.ratio:
            return f"images/{key}/{self.width}w.{extension}"
        left, top, right, bottom = self.box
        crop = f"{self.ratio.replace(':', 'x')}-{left}-{top}-{right}-{bottom}"
        return f"images/{key}/{crop}-{self.width}w.{extension}"


def parse_ratio(ratio: str) -> Fraction:
    across, down = (int(part) for part in ratio.split(":"))
    return Fraction(across, down)


def crop_box(size: tuple[int, int], ratio: str, focal: tuple[float, float]) -> Box:
    """The largest box of ``ratio`` inside ``size``, centred on ``focal`` as far as it fits."""
    width, height = size
    wanted = parse_ratio(ratio)
    if Fraction(width, height) > wanted:
        crop_width, crop_height = max(1, round(height * wanted)), height
    else:
        crop_width, crop_height = width, max(1, round(width / wanted))
    left = _clamp(round(focal[0] * width - crop_width / 2), 0, width - crop_width)
    top = _clamp(round(focal[1] * height - crop_height / 2), 0, height - crop_height)
    return left, top, left + crop_width, top + crop_height


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def rendition_formats(original_format: str) -> tuple[str, ...]:
    return ("WEBP",) if original_format == "WEBP" else ("WEBP", original_format)


def planned(size: tuple[int, int], original_format: str, focal: tuple[float, float]) -> list[Spec]:
    """Every rendition an image of ``size`` and format with ``focal`` point should have."""
    specs = []
    boxes = [("", (0, 0, *size))]
    boxes += [(ratio, crop_box(size, ratio, focal)) for ratio in settings.IMAGE_CROP_RATIOS]
    for ratio, box in boxes:
        crop_width, crop_height = box[2] - box[0], box[3] - box[1]
        widths = sorted({min(width, crop_width) for width in settings.IMAGE_RENDITION_WIDTHS})
        for width in widths:
            height = max(1, round(crop_height * width / crop_width))
            for image_format in rendition_formats(original_format):
                specs.append(Spec(ratio, box, width, height, image_format))
    return specs


def renditions_ensure(image, pixels: Pillow.Image | None = None) -> list[dict]:
    """Make the renditions ``image`` lacks (from ``pixels``, else its stored original).

    Returns what ``Image.renditions`` holds: for each rendition its storage name, ratio
    ("" for the image's own shape), width, height and media type.
    """
    key = str(image.key)
    found = []
    for spec in planned((image.width, image.height), image.format, (image.focal_x, image.focal_y)):
        name = spec.name(key)
        if not default_storage.exists(name):
            if pixels is None:
                pixels = _stored_original(image)
            resized = pixels.crop(spec.box).resize((spec.width, spec.height), Pillow.LANCZOS)
            default_storage.save(name, ContentFile(encoded(resized, spec.format)))
        found.append(
            {
                "name": name,
                "ratio": spec.ratio,
                "width": spec.width,
                "height": spec.height,
                "type": ACCEPTED[spec.format][0],
            }
        )
    return found


def _stored_original(image) -> Pillow.Image:
    with default_storage.open(image.original.name, "rb") as original:
        pixels = Pillow.open(original)
        pixels.load()
    return pixels
