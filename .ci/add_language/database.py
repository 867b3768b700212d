"""The database after adding the language: settings, new columns and constraints, content."""

from django.db import connection

import clinic
from clinic.i18n.languages import language_codes, source_language, target_languages
from clinic.i18n.registry import localized, translatable_models, translated_fields

from .common import ROOT, check, failures, ok, say
from .snapshot import content_rows


def check_settings(language: str, before: list[str]) -> None:
    say(f"Settings: {language} is configured")
    check(
        clinic.__file__.startswith(str(ROOT)),
        f"the project is imported from {clinic.__file__}, not from the copy {ROOT}",
    )
    check(
        language_codes() == [*before, language],
        f"configured languages are {language_codes()}, expected {[*before, language]}",
    )
    check(language in target_languages(), f"{language} is not a target language")
    if not failures:
        ok(f"languages: {', '.join(language_codes())} (source {source_language()})")


def check_schema(language: str) -> None:
    say(f"Database: a nullable column per translated field in {language}, slug constraints")
    with connection.cursor() as cursor:
        for model in translatable_models():
            table = model._meta.db_table
            columns = {
                column.name: column
                for column in connection.introspection.get_table_description(cursor, table)
            }
            for name in translated_fields(model):
                column = localized(name, language)
                if check(column in columns, f"{table}.{column} is missing"):
                    check(columns[column].null_ok, f"{table}.{column} is NOT NULL")
            in_db = connection.introspection.get_constraints(cursor, table)
            unique_columns = {tuple(info["columns"]) for info in in_db.values() if info["unique"]}
            for name in translated_fields(model):
                # A column unique in the source language (slugs) is unique in the new one.
                if (localized(name, source_language()),) in unique_columns:
                    check(
                        (localized(name, language),) in unique_columns,
                        f"{table}.{localized(name, source_language())} is unique, "
                        f"{localized(name, language)} is not",
                    )
            for constraint in model._meta.constraints:
                if check(
                    constraint.name in in_db, f"{table}: constraint {constraint.name} missing"
                ):
                    check(
                        in_db[constraint.name]["unique"] or in_db[constraint.name]["check"],
                        f"{table}: {constraint.name} is neither unique nor a check",
                    )
            suffix = f"_{language.replace('-', '_')}_"
            new = [c.name for c in model._meta.constraints if suffix in c.name]
            extra = f"; constraints {', '.join(new)}" if new else ""
            added = ", ".join(localized(name, language) for name in translated_fields(model))
            ok(f"{table}: {added}{extra}")


def check_content(snap: dict, language: str) -> None:
    say("Existing content is intact (every row of articles, clinic, i18n)")
    suffix = f"_{language.replace('-', '_')}"
    now = content_rows()
    for label, before_rows in snap["content"].items():
        after_rows = now.get(label, {})
        if not check(
            set(before_rows) == set(after_rows),
            f"{label}: rows {sorted(before_rows)} before, {sorted(after_rows)} after",
        ):
            continue
        changed = 0
        for pk, before in before_rows.items():
            after = after_rows[pk]
            for field, value in before.items():
                if after.get(field) != value:
                    changed += 1
                    check(
                        False, f"{label} {pk}: {field} changed: {value!r} -> {after.get(field)!r}"
                    )
            for field, value in after.items():
                if field in before:
                    continue
                check(
                    field.endswith(suffix),
                    f"{label} {pk}: new field {field} is not a {language} column",
                )
                check(
                    value in (None, ""),
                    f"{label} {pk}: new column {field} is not empty: {value!r}",
                )
        if not changed:
            ok(f"{label}: {len(before_rows)} row(s) unchanged")
    states = [
        row for row in now.get("i18n.translationstate", {}).values() if row["language"] == language
    ]
    check(not states, f"{len(states)} translation state(s) in {language} appeared")
