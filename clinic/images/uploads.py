"""Checking an uploaded image and cleaning it: the only way a file becomes a library image.

Nothing about the file is trusted: its name is ignored, its type is read from its content
(JPEG, PNG or WebP; SVG and everything else refused), its size and pixel count are bounded
before any pixel is decoded (a decompression bomb is a small file of very many pixels),
and the image kept is re-encoded from its pixels, so no metadata of the upload (EXIF with
GPS positions, comments, XMP) survives. The colour profile is kept: it says how to show
the colours, nothing about who took the picture.
"""

import warnings
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image as Pillow
from PIL import ImageOps, UnidentifiedImageError

#: Formats accepted, by Pillow's name, with their media type and file extension.
ACCEPTED = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


@dataclass(frozen=True)
class CleanImage:
    """An accepted upload: its pixels (metadata dropped, orientation applied) and format."""

    pixels: Pillow.Image
    format: str
    icc_profile: bytes | None = None

    @property
    def width(self) -> int:
        return self.pixels.width

    @property
    def height(self) -> int:
        return self.pixels.height


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in text


def image_from_upload(upload) -> CleanImage:
    """``upload`` (a Django ``File``) as a :class:`CleanImage`; ``ValidationError`` says why not."""
    limit = settings.IMAGE_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s."),
            code="too_large",
            params={"limit": filesizeformat(limit)},
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s."),
            code="too_large",
            params={"limit": filesizeformat(limit)},
        )
    if _looks_like_svg(data[:1024]):
        raise ValidationError(
            _("SVG images are not accepted: upload a JPEG, PNG or WebP image."), code="svg"
        )
    return _decoded(data)


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The image has more than %(limit)s pixels."),
        code="too_many_pixels",
        params={"limit": number_format(settings.IMAGE_MAX_PIXELS, force_grouping=True)},
    )


def _decoded(data: bytes) -> CleanImage:
    not_an_image = ValidationError(
        _("The file is not a JPEG, PNG or WebP image."), code="unsupported_type"
    )
    with warnings.catch_warnings():
        # Pillow's own guard (Image.MAX_IMAGE_PIXELS) warns, then fails: both are refusals.
        warnings.simplefilter("error", Pillow.DecompressionBombWarning)
        try:
            opened = Pillow.open(BytesIO(data))  # reads the header only
            if opened.format not in ACCEPTED:
                raise not_an_image
            if opened.width * opened.height > settings.IMAGE_MAX_PIXELS:
                raise _too_many_pixels()
            opened.load()
        except (Pillow.DecompressionBombError, Pillow.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise not_an_image from exc
    icc_profile = opened.info.get("icc_profile")
    pixels = ImageOps.exif_transpose(opened)  # applies the EXIF orientation, if any
    mode = _mode(pixels)
    if pixels.mode != mode:
        if pixels.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            icc_profile = None  # a CMYK or 16-bit profile does not describe the converted pixels
        pixels = pixels.convert(mode)
    return CleanImage(
        pixels=_without_metadata(pixels), format=opened.format, icc_profile=icc_profile
    )


def _mode(pixels: Pillow.Image) -> str:
    """RGB or grey, with alpha where the image has transparency."""
    has_alpha = pixels.mode in ("RGBA", "LA", "PA") or "transparency" in pixels.info
    if pixels.mode in ("L", "RGB") and not has_alpha:
        return pixels.mode
    return "RGBA" if has_alpha else "RGB"


def _without_metadata(pixels: Pillow.Image) -> Pillow.Image:
    """The pixels alone: a new image, with none of the upload's ``info`` (EXIF, XMP, text)."""
    clean = Pillow.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    return clean


def encoded(pixels: Pillow.Image, image_format: str, icc_profile: bytes | None = None) -> bytes:
    """``pixels`` as a file of ``image_format``, with nothing but the colour profile."""
    options: dict = {"optimize": True}
    if image_format == "JPEG":
        pixels = pixels.convert("RGB") if pixels.mode not in ("RGB", "L") else pixels
        options.update(quality=85, progressive=True)
    elif image_format == "WEBP":
        options = {"quality": 82, "method": 4}
    if icc_profile:
        options["icc_profile"] = icc_profile
    out = BytesIO()
    pixels.save(out, format=image_format, **options)
    return out.getvalue()
