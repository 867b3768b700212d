"""Database helpers for translated columns, usable from ``models.py``."""

from django.conf import settings
from django.db import models


class Casefold(models.Func):
    """Unicode case folding in SQL: ``LOWER`` on PostgreSQL, a Python function on SQLite.

    SQLite's own LOWER and LIKE fold ASCII letters only ("ПАЦІЄНТИ" would not
    find "пацієнти").
    """

    function = "LOWER"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="PY_CASEFOLD", **extra_context)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: adds PY_CASEFOLD to SQLite connections."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "PY_CASEFOLD",
            1,
            lambda value: value.casefold() if isinstance(value, str) else value,
            deterministic=True,
        )


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
