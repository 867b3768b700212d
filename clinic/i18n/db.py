"""Database helpers for translated columns, usable from ``models.py``."""

from django.conf import settings
from django.db import models


def unique_per_language(field: str, *, prefix: str) -> list[models.UniqueConstraint]:
    """One unique constraint per configured language on ``<field>_<lang>``.

    Translated slugs are unique within a language, not across languages, and an
    empty (NULL) slug does not collide. Adding a language adds its constraint in
    the same migration as its columns.
    """
    return [
        models.UniqueConstraint(
            fields=[f"{field}_{code.replace('-', '_')}"],
            name=f"{prefix}_{field}_{code.replace('-', '_')}_unique",
        )
        for code, _name in settings.LANGUAGES
    ]
