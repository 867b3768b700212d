from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.i18n.languages import get_language, target_languages, translate_codename


def translate_permissions() -> list[tuple[str, str]]:
    """``translate_<lang>`` for every target language: who may edit that language's fields."""
    return [
        (translate_codename(code), f"Can translate into {get_language(code).name}")
        for code in target_languages()
    ]


class TranslationState(models.Model):
    """The state of one object's translation into one language.

    ``sources`` maps each translated field to the source-language text the
    translation was made from. A field whose current source differs from that
    text is *stale*; the old text is kept (not a fingerprint) so that translators
    can be shown what changed and PO files can carry ``#| msgid`` entries.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Origin(models.TextChoices):
        ADMIN = "admin", _("Edited in the admin")
        IMPORT = "import", _("Imported from a PO file")
        SEED = "seed", _("Demo content")

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    content_object = GenericForeignKey("content_type", "object_id")
    language = models.CharField(_("language"), max_length=15)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    sources = models.JSONField(_("source texts"), default=dict, blank=True)
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.ADMIN
    )
    origin_detail = models.CharField(
        _("origin detail"),
        max_length=255,
        blank=True,
        help_text=_("The PO file a translation was imported from."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("translation state")
        verbose_name_plural = _("translation states")
        permissions = [
            ("publish_translation", _("Can publish and unpublish translations")),
            *translate_permissions(),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"],
                name="i18n_state_unique_object_language",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published"]),
                name="i18n_state_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id} [{self.language}] {self.status}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
