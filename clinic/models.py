from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.i18n.models import TranslationState
from clinic.phones import display_phone, normalize_phone, phone_uri


def validate_language_codes(value: object) -> None:
    configured = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Enter a list of language codes."), code="invalid")
    unknown = sorted(set(value) - configured)
    if unknown:
        raise ValidationError(
            _("Unknown language codes: %(codes)s."),
            code="unknown_language",
            params={"codes": ", ".join(unknown)},
        )


class ContactLine(models.Model):
    """A phone line of the clinic. Each number exists once, in E.164 form."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        WHATSAPP = "whatsapp", _("WhatsApp")
        VIBER = "viber", _("Viber")
        TELEGRAM = "telegram", _("Telegram")

    number = models.CharField(
        _("number"),
        max_length=20,
        unique=True,
        help_text=_("Any common format; stored as E.164 (+380…)."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PHONE)
    label = models.CharField(_("label"), max_length=100)
    languages = models.JSONField(
        _("languages spoken"),
        default=list,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("Codes of the languages spoken on this line."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    translation_states = GenericRelation(TranslationState)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("contact line")
        verbose_name_plural = _("contact lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__startswith="+"), name="contactline_number_e164"
            ),
        ]

    def __str__(self) -> str:
        return self.display

    def clean(self) -> None:
        if self.number:
            try:
                self.number = normalize_phone(self.number)
            except ValidationError as exc:
                raise ValidationError({"number": exc.messages}) from exc

    @property
    def display(self) -> str:
        return display_phone(self.number)

    @property
    def uri(self) -> str:
        return phone_uri(self.number)


class Disclaimer(models.Model):
    """A medical or legal notice shown with the content it applies to."""

    class AppliesTo(models.TextChoices):
        ARTICLES = "articles", _("Every article")
        CONTACTS = "contacts", _("Contact lines")
        SITE = "site", _("The whole site")

    key = models.SlugField(
        _("key"),
        max_length=64,
        unique=True,
        help_text=_("Stable identifier used by frontends, e.g. treatment-results."),
    )
    text = models.TextField(_("text"))
    applies_to = models.CharField(
        _("applies to"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.ARTICLES
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    translation_states = GenericRelation(TranslationState)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("disclaimer")
        verbose_name_plural = _("disclaimers")

    def __str__(self) -> str:
        return self.key


def disclaimers_shown(disclaimers: Iterable[tuple[int, bool]], own: set[int]) -> list[int]:
    """Which disclaimers an article shows: of ``(id, applies to every article?)`` in their
    order, those for every article and the article's ``own``."""
    return [pk for pk, for_every_article in disclaimers if for_every_article or pk in own]
