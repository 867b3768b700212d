import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.i18n.models import TranslationState
from clinic.i18n.registry import localized
from clinic.images.querysets import ImageQuerySet

_FRACTION = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class Image(models.Model):
    """An image of the media library: its original, its renditions and its translated text.

    The original is kept at full size in its own format, with its metadata (EXIF, GPS)
    removed; renditions are made from it when it is uploaded or its focal point moves
    (:mod:`clinic.images.renditions`), and listed in ``renditions`` so that nothing asks
    the storage when a response is built.
    """

    class Format(models.TextChoices):
        JPEG = "JPEG", "JPEG"
        PNG = "PNG", "PNG"
        WEBP = "WEBP", "WebP"

    #: The image's name in storage and in URLs: generated, never the uploaded file's name.
    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    original = models.FileField(_("original"), max_length=200, editable=False)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices, editable=False)
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    renditions = models.JSONField(_("renditions"), default=list, blank=True, editable=False)

    # Translated text (see translation.py).
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the image shows, for readers who cannot see it. Required unless the "
            "image is decorative."
        ),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"),
        max_length=300,
        blank=True,
        help_text=_("Who made the image and under which licence, as recorded; never guessed."),
    )
    license_url = models.URLField(_("licence URL"), max_length=500, blank=True)

    decorative = models.BooleanField(
        _("decorative"),
        default=False,
        help_text=_(
            "The image adds nothing a reader needs: it is served with an empty alternative "
            "text and needs none in any language."
        ),
    )
    focal_x = models.FloatField(
        _("focal point (across)"),
        default=0.5,
        validators=_FRACTION,
        help_text=_("0 is the left edge, 1 the right edge; crops keep this point."),
    )
    focal_y = models.FloatField(
        _("focal point (down)"),
        default=0.5,
        validators=_FRACTION,
        help_text=_("0 is the top edge, 1 the bottom edge; crops keep this point."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    translation_states = GenericRelation(TranslationState)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
            ),
        ]

    def __str__(self) -> str:
        source = localized("alt_text", settings.MODELTRANSLATION_DEFAULT_LANGUAGE)
        text = getattr(self, source) or localized_caption(self)
        return text[:80] if text else str(self.key)[:8]

    def clean(self) -> None:
        source = localized("alt_text", settings.MODELTRANSLATION_DEFAULT_LANGUAGE)
        if not self.decorative and not (getattr(self, source) or "").strip():
            raise ValidationError(
                {
                    source: _(
                        "Describe the image for readers who cannot see it, or mark it decorative."
                    )
                }
            )


def localized_caption(image: Image) -> str:
    return getattr(image, localized("caption", settings.MODELTRANSLATION_DEFAULT_LANGUAGE)) or ""
