"""Writes of library images: storing an accepted upload, its renditions, creating an image.

The image itself is saved like all content, through the one write path
(:func:`clinic.i18n.services.content_save`); these functions prepare its files first.
Files are written before the database commits: a rolled-back save leaves unused files
under a key no row names, never a row without its files.
"""

from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from clinic.i18n.models import TranslationState
from clinic.i18n.services import content_save
from clinic.images.models import Image
from clinic.images.renditions import renditions_ensure
from clinic.images.uploads import ACCEPTED, CleanImage, encoded


def image_store_upload(*, image: Image, upload: CleanImage) -> None:
    """Store ``upload`` as the original of the (new) ``image`` and make its renditions.

    The original is the upload re-encoded at full size, in its format, without its
    metadata; its name is made from the image's generated key.
    """
    extension = ACCEPTED[upload.format][1]
    name = default_storage.save(
        f"images/{image.key}/original.{extension}",
        ContentFile(encoded(upload.pixels, upload.format, upload.icc_profile)),
    )
    image.original.name = name
    image.format = upload.format
    image.width, image.height = upload.width, upload.height
    image.renditions = renditions_ensure(image, upload.pixels)


def image_renditions_refresh(*, image: Image) -> None:
    """Make the renditions ``image`` lacks now (its focal point moved: new crops)."""
    image.renditions = renditions_ensure(image)


@transaction.atomic
def image_create(
    *,
    upload: CleanImage,
    texts: Mapping[str, str],
    by: AbstractBaseUser | None = None,
    origin: str = TranslationState.Origin.ADMIN,
    origin_detail: str = "",
    statuses: dict[str, str] | None = None,
    **fields,
) -> Image:
    """A new library image from ``upload``, with ``texts`` by column (``alt_text_ar``...)."""
    image = Image(**fields, **texts)
    image_store_upload(image=image, upload=upload)
    content_save(
        obj=image,
        changed_fields=list(texts),
        statuses=statuses,
        by=by,
        origin=origin,
        origin_detail=origin_detail,
        validate=True,
    )
    return image
