"""Medical review as a signed act: who reviewed which text, in which language, when.

A :class:`MedicalReview` is recorded by a user for the text of one object in
one language as it stood at that moment. It keeps fingerprints of what was
reviewed (see :mod:`clinic.reviews.services`), so any later change of the
source, of the study facts or of that translation makes it *outdated* without
anyone having to remember to say so: the API then states no review.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clinic.i18n.models import TranslationState


class ReviewerQuerySet(models.QuerySet):
    def with_reviews(self) -> "ReviewerQuerySet":
        """Reviewers who recorded at least one review: the ones the public may be shown."""
        return self.filter(
            models.Exists(MedicalReview.objects.filter(reviewer=models.OuterRef("pk")))
        )


class Reviewer(models.Model):
    """A person who reviews medical content: accountable by name and credentials."""

    name = models.CharField(
        pgettext_lazy("person", "name"),
        max_length=200,
        help_text=_("The person's name, as published. Not translated."),
    )
    credentials = models.CharField(
        _("credentials"),
        max_length=200,
        blank=True,
        help_text=_("Degrees and specialty as readers should see them, e.g. “MD, neurologist”."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="medical_reviewer",
        verbose_name=_("staff account"),
        help_text=_("The account this person signs reviews with, if they have one."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    translation_states = GenericRelation(TranslationState)

    objects = ReviewerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("medical reviewer")
        verbose_name_plural = _("medical reviewers")

    def __str__(self) -> str:
        return self.name


class AboutContent(models.Model):
    """Of one content object of any model (as a translation state is)."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    content_object = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


class MedicalReview(AboutContent):
    """One review of one object's text in one language. Never edited: a new review is recorded."""

    language = models.CharField(_("language"), max_length=15)
    reviewer = models.ForeignKey(
        Reviewer, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("reviewer")
    )
    reviewed_on = models.DateField(_("reviewed on"))
    note = models.TextField(_("note"), blank=True)
    source_fingerprint = models.CharField(
        _("fingerprint of the source and study facts"), max_length=64, editable=False
    )
    text_fingerprint = models.CharField(
        _("fingerprint of the translation"), max_length=64, blank=True, editable=False
    )
    revision = models.ForeignKey(
        "reversion.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revision reviewed"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-recorded_at", "-id"]
        verbose_name = _("medical review")
        verbose_name_plural = _("medical reviews")
        permissions = [("review_medical_content", _("Can record medical reviews"))]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "language"], name="review_object_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} [{self.language}] {self.reviewed_on}"


class ReviewNote(AboutContent):
    """A note to editors and reviewers about an object's text: why it awaits review, a doubt.

    Shown in the admin only, never in the API.
    """

    class Kind(models.TextChoices):
        REVIEW = "review", _("Awaiting medical review")
        TRANSLATOR = "translator", _("Translator's note")

    language = models.CharField(
        _("language"),
        max_length=15,
        blank=True,
        help_text=_("Empty: the note is about every language."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REVIEW)
    text = models.TextField(_("note"))
    resolved = models.BooleanField(_("resolved"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["resolved", "created_at", "id"]
        verbose_name = _("review note")
        verbose_name_plural = _("review notes")

    def __str__(self) -> str:
        return self.text[:60]
