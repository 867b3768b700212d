"""Hostile and ordinary uploads: what the library accepts, refuses and cleans."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

from clinic.images.uploads import image_from_upload
from tests.factories import image_upload, make_image

GPS_IFD = 0x8825
#: 50°27′ N, 30°31′ E: a position a phone would record.
GPS = {1: "N", 2: (50.0, 27.0, 0.0), 3: "E", 4: (30.0, 31.0, 0.0)}


def exif_with_gps() -> bytes:
    exif = PillowImage.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 1  # Orientation
    exif.get_ifd(GPS_IFD).update(GPS)
    return exif.tobytes()


def refusal(upload) -> str:
    with pytest.raises(ValidationError) as refused:
        image_from_upload(upload)
    return refused.value.code


def test_a_jpeg_png_and_webp_are_accepted():
    for image_format in ("JPEG", "PNG", "WEBP"):
        clean = image_from_upload(image_upload(640, 480, image_format))
        assert (clean.format, clean.width, clean.height) == (image_format, 640, 480)


def test_an_oversized_file_is_refused(settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 1000
    assert refusal(image_upload(800, 600, "PNG")) == "too_large"


def test_too_many_pixels_are_refused_before_decoding(settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100
    assert refusal(image_upload(101, 100, "PNG")) == "too_many_pixels"


def test_a_decompression_bomb_is_refused():
    """A few kilobytes of PNG declaring 20,000 × 20,000 pixels (400 million)."""
    out = BytesIO()
    PillowImage.new("1", (20_000, 20_000)).save(out, format="PNG")
    bomb = out.getvalue()
    assert len(bomb) < 100_000
    assert refusal(SimpleUploadedFile("small.png", bomb)) == "too_many_pixels"


def test_the_type_is_read_from_the_content_not_the_name():
    text = SimpleUploadedFile("photo.jpg", b"GIF89a not really a picture", "image/jpeg")
    assert refusal(text) == "unsupported_type"
    gif = BytesIO()
    PillowImage.new("RGB", (10, 10)).save(gif, format="GIF")
    assert refusal(SimpleUploadedFile("photo.png", gif.getvalue(), "image/png")) == (
        "unsupported_type"
    )


def test_a_png_named_jpg_is_a_png():
    clean = image_from_upload(image_upload(300, 200, "PNG", name="picture.jpg"))
    assert clean.format == "PNG"


def test_svg_is_refused_whatever_its_name():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'
    assert refusal(SimpleUploadedFile("logo.png", svg, "image/png")) == "svg"
    assert refusal(SimpleUploadedFile("logo.svg", b"<svg></svg>", "image/svg+xml")) == "svg"


def test_a_truncated_image_is_refused():
    data = image_upload(400, 300, "JPEG").read()
    assert refusal(SimpleUploadedFile("cut.jpg", data[: len(data) // 3])) == "unsupported_type"


@pytest.mark.django_db
def test_exif_and_gps_are_stripped_from_the_original_and_every_rendition():
    upload = image_upload(1700, 1000, "JPEG", exif=exif_with_gps())
    assert PillowImage.open(BytesIO(upload.read())).getexif().get_ifd(GPS_IFD)  # it has GPS
    image = make_image(upload=upload)
    names = [image.original.name, *(rendition["name"] for rendition in image.renditions)]
    assert len(names) > 10
    for name in names:
        with default_storage.open(name) as stored:
            data = stored.read()
        stored_image = PillowImage.open(BytesIO(data))
        assert not stored_image.getexif(), name
        assert b"Exif" not in data and b"PhoneMaker" not in data, name


@pytest.mark.django_db
def test_the_uploaded_name_is_never_used():
    image = make_image(upload=image_upload(name="../../etc/passwd .jpg"))
    assert image.original.name == f"images/{image.key}/original.jpg"
    assert all(r["name"].startswith(f"images/{image.key}/") for r in image.renditions)


def test_the_exif_orientation_is_applied_before_it_is_dropped():
    exif = PillowImage.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise
    clean = image_from_upload(image_upload(400, 200, "JPEG", exif=exif.tobytes()))
    assert (clean.width, clean.height) == (200, 400)
