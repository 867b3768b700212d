"""Translated slugs, derived from the translated title and unique per language."""

from django.db import models
from django.utils.text import slugify

from clinic.i18n.languages import language_codes
from clinic.i18n.registry import derived_fields, localized


def _unique_slug(obj: models.Model, column: str, base: str) -> str:
    manager = type(obj)._default_manager
    max_length = type(obj)._meta.get_field(column).max_length or 255
    base = base[: max_length - 6].strip("-")
    candidate, suffix = base, 2
    while manager.filter(**{column: candidate}).exclude(pk=obj.pk).exists():
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def derive_slugs(obj: models.Model) -> None:
    """Fill every empty derived field (``slug_ar``) from its source (``title_ar``).

    Existing slugs are kept, so published URLs stay stable when a title is edited.
    """
    for derived, origin in derived_fields(type(obj)).items():
        for code in language_codes():
            column = localized(derived, code)
            if getattr(obj, column):
                continue
            base = slugify(getattr(obj, localized(origin, code)) or "", allow_unicode=True)
            setattr(obj, column, _unique_slug(obj, column, base) if base else None)
