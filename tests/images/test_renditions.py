"""Renditions: the widths and formats made, crops around the focal point, made once."""

from io import BytesIO
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from PIL import Image as PillowImage

from clinic.images.renditions import crop_box, planned
from clinic.images.services import image_renditions_refresh
from tests.factories import image_upload, make_image

pytestmark = pytest.mark.django_db


def sizes(image, ratio=""):
    return sorted(
        (r["width"], r["height"], r["type"]) for r in image.renditions if r["ratio"] == ratio
    )


def test_each_width_in_webp_and_the_original_format():
    image = make_image(upload=image_upload(1700, 1000, "PNG"))
    assert sizes(image) == [
        (480, 282, "image/png"),
        (480, 282, "image/webp"),
        (960, 565, "image/png"),
        (960, 565, "image/webp"),
        (1600, 941, "image/png"),
        (1600, 941, "image/webp"),
    ]
    for rendition in image.renditions:
        with default_storage.open(rendition["name"]) as stored:
            file = PillowImage.open(BytesIO(stored.read()))
        assert (file.width, file.height) == (rendition["width"], rendition["height"])
        assert PillowImage.MIME[file.format] == rendition["type"]


def test_a_small_image_is_never_enlarged():
    image = make_image(upload=image_upload(600, 400))
    assert {width for width, _height, _type in sizes(image)} == {480, 600}


def test_a_webp_original_gets_webp_renditions_only():
    image = make_image(upload=image_upload(1000, 500, "WEBP"))
    assert {kind for _w, _h, kind in sizes(image)} == {"image/webp"}


def test_crops_keep_the_focal_point_inside():
    assert crop_box((1600, 900), "1:1", (0.5, 0.5)) == (350, 0, 1250, 900)
    assert crop_box((1600, 900), "1:1", (0.9, 0.5)) == (700, 0, 1600, 900)  # pushed to the edge
    assert crop_box((1600, 900), "1:1", (0.1, 0.2)) == (0, 0, 900, 900)
    assert crop_box((900, 1600), "16:9", (0.5, 0.75)) == (0, 947, 900, 1453)


def test_the_square_crop_follows_the_focal_point():
    """A left half black and a right half white: the crop shows the side of the focal point."""
    pixels = PillowImage.new("RGB", (1600, 800), "white")
    pixels.paste((0, 0, 0), (0, 0, 800, 800))
    out = BytesIO()
    pixels.save(out, format="PNG")
    from django.core.files.uploadedfile import SimpleUploadedFile

    image = make_image(upload=SimpleUploadedFile("x.png", out.getvalue()), focal_x=0.1)

    def square_colour(image):
        name = next(r["name"] for r in image.renditions if r["ratio"] == "1:1")
        with default_storage.open(name) as stored:
            return PillowImage.open(BytesIO(stored.read())).convert("L").getpixel((10, 10))

    assert square_colour(image) < 20  # black: the left side
    image.focal_x = 0.9
    image_renditions_refresh(image=image)
    assert square_colour(image) > 235  # white: the right side, under new names


def test_renditions_are_made_once_and_kept():
    image = make_image(upload=image_upload(1700, 1000))
    with mock.patch.object(default_storage, "save") as save:
        image_renditions_refresh(image=image)
    save.assert_not_called()
    image.focal_y = 0.1  # the crops move: only they are made
    with mock.patch.object(default_storage, "save", wraps=default_storage.save) as save:
        image_renditions_refresh(image=image)
    made = [call.args[0] for call in save.call_args_list]
    assert made and all("16x9" in name or "1x1" in name for name in made)


def test_the_plan_is_the_same_for_the_same_image():
    assert planned((1700, 1000), "JPEG", (0.5, 0.5)) == planned((1700, 1000), "JPEG", (0.5, 0.5))
