"""The demo content's lead image: an illustration drawn here, by code, so the project owns it.

Nothing is downloaded: :func:`demo_illustration` draws a nerve cell whose fibre has lost
part of its myelin sheath, with stem cells gathered beside the damaged part, the subject
of the demo trial report (stem cells for progressive multiple sclerosis). The project
dedicates the drawing to the public domain (CC0 1.0); its alternative text, caption and
credit in English, Arabic and Ukrainian are in ``clinic/seed/clinic_page.json``.
"""

import uuid
from collections.abc import Mapping
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Pillow
from PIL import ImageDraw

from clinic.i18n.languages import language_codes, target_languages
from clinic.i18n.models import TranslationState
from clinic.i18n.registry import localized
from clinic.images.models import Image
from clinic.images.services import image_create
from clinic.images.uploads import image_from_upload

#: The demo image's key: the same in every database, so loading the demo again finds it.
DEMO_IMAGE_KEY = uuid.uuid5(uuid.NAMESPACE_URL, "clinic-content-api:demo:lead-image")

SIZE = (1600, 900)
AXON_Y = 430
NEURON = (330, AXON_Y)
DAMAGED = (820, 1120)  # where the myelin sheath is missing (x from, x to)
CELL = (242, 161, 90)
CELL_DARK = (196, 112, 48)
MYELIN = (110, 160, 205)
STEM = (126, 186, 84)
STEM_DARK = (74, 132, 50)


def demo_illustration() -> bytes:
    """The illustration as a PNG file (deterministic: the same bytes on every run)."""
    picture = Pillow.new("RGB", SIZE)
    draw = ImageDraw.Draw(picture)
    for y in range(SIZE[1]):  # a pale blue background, lighter at the bottom
        shade = 236 + round(16 * y / SIZE[1])
        draw.line([(0, y), (SIZE[0], y)], fill=(shade - 10, shade - 3, min(shade + 4, 255)))
    _dendrites(draw)
    draw.line([(NEURON[0], AXON_Y), (1460, AXON_Y)], fill=CELL_DARK, width=16)
    _myelin(draw)
    _terminals(draw)
    x, y = NEURON
    draw.ellipse([x - 105, y - 95, x + 105, y + 95], fill=CELL, outline=CELL_DARK, width=6)
    draw.ellipse([x - 38, y - 36, x + 38, y + 36], fill=CELL_DARK)
    for index, (cx, cy) in enumerate(
        [(860, 560), (945, 600), (1035, 565), (900, 660), (995, 680), (1090, 640)]
    ):
        radius = 44 if index % 2 else 38
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=STEM)
        draw.ellipse(
            [cx - radius, cy - radius, cx + radius, cy + radius], outline=STEM_DARK, width=4
        )
        draw.ellipse([cx - 14, cy - 14, cx + 14, cy + 14], fill=STEM_DARK)
    out = BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def _dendrites(draw: ImageDraw.ImageDraw) -> None:
    x, y = NEURON
    for dx, dy in [(-190, -170), (-230, 10), (-170, 190), (-40, -230), (-20, 240)]:
        end = (x + dx, y + dy)
        draw.line([NEURON, end], fill=CELL_DARK, width=12)
        for bx, by in [(-50, -40), (40, -55), (-45, 45)]:
            draw.line([end, (end[0] + bx, end[1] + by)], fill=CELL_DARK, width=7)


def _myelin(draw: ImageDraw.ImageDraw) -> None:
    """Segments of sheath with gaps between them; none over the damaged part, but ragged
    remains at its edges."""
    start = 470
    while start < 1400:
        end = start + 110
        if end <= DAMAGED[0] or start >= DAMAGED[1]:
            draw.rounded_rectangle([start, AXON_Y - 30, end, AXON_Y + 30], radius=28, fill=MYELIN)
        start = end + 18
    for x in (DAMAGED[0] + 10, DAMAGED[1] - 40):  # remains
        draw.rounded_rectangle([x, AXON_Y - 18, x + 30, AXON_Y + 14], radius=10, fill=MYELIN)


def _terminals(draw: ImageDraw.ImageDraw) -> None:
    for dy in (-90, -30, 30, 90):
        end = (1540, AXON_Y + dy)
        draw.line([(1460, AXON_Y), end], fill=CELL_DARK, width=8)
        draw.ellipse([end[0] - 14, end[1] - 14, end[0] + 14, end[1] + 14], fill=CELL)


def demo_image_load(item: Mapping) -> tuple[Image, bool]:
    """The demo image (found by its key, else drawn and created), and whether it was created.

    ``item``: ``alt_text``, ``caption``, ``credit`` (language → text), ``license_url``,
    ``focal_point`` ([across, down]).
    """
    existing = Image.objects.filter(key=DEMO_IMAGE_KEY).first()
    if existing is not None:
        return existing, False
    texts = {
        localized(field, language): item[field][language]
        for field in ("alt_text", "caption", "credit")
        for language in language_codes()
        if item[field].get(language)
    }
    focal_x, focal_y = item["focal_point"]
    upload = SimpleUploadedFile("illustration.png", demo_illustration())
    image = image_create(
        upload=image_from_upload(upload),
        texts=texts,
        origin=TranslationState.Origin.SEED,
        statuses=dict.fromkeys(target_languages(), TranslationState.Status.PUBLISHED),
        key=DEMO_IMAGE_KEY,
        license_url=item["license_url"],
        focal_x=focal_x,
        focal_y=focal_y,
    )
    return image, True
