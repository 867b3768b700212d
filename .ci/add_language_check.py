"""Checks for .ci/add-language, run inside the temporary copy of the project.

    python .ci/add_language_check.py snapshot SNAPSHOT.json
        Before the new language: record every row of the content apps (articles,
        clinic, i18n), the translation report and the API responses in every
        configured language.

    python .ci/add_language_check.py check SNAPSHOT.json LANG EXPORT.po
        After adding LANG (settings, migration, catalogs): the new columns and
        constraints exist, existing content is unchanged, LANG is 0 % translated,
        the exported PO file has one empty entry per translatable field, and the
        API serves LANG with English text, listing every fallen-back field; the
        permissions and staff groups cover LANG as they cover the other languages,
        and the admin's forms have LANG inputs.

    python .ci/add_language_check.py fresh SNAPSHOT.json LANG
        On a database migrated from scratch with LANG configured: the columns,
        constraints, permissions and staff groups.

Every failed check is listed; the exit status is 1 if there is any.
"""

import io
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The virtualenv has the project installed in editable mode: without this, "clinic"
# would be imported from the repository the venv belongs to, not from this copy.
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

import django  # noqa: E402

django.setup()

import polib  # noqa: E402
from django.apps import apps  # noqa: E402
from django.core import serializers  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

import clinic  # noqa: E402
from articles.models import Article  # noqa: E402
from clinic.i18n.completeness import completeness_by_type  # noqa: E402
from clinic.i18n.languages import language_codes, source_language, target_languages  # noqa: E402
from clinic.i18n.registry import (  # noqa: E402
    api_name,
    localized,
    translatable_fields,
    translatable_models,
    translated_fields,
)
from clinic.i18n.state import is_blank  # noqa: E402

CONTENT_APPS = ("articles", "clinic", "i18n")
API = "/api/v1"
# The seed article has English text in all of these (README, "Content model").
SEED_ARTICLE_FIELDS = {
    "title",
    "summary",
    "body",
    "seo_title",
    "seo_description",
    "condition",
    "intervention",
}

failures: list[str] = []


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def check(condition: bool, message: str) -> bool:
    if not condition:
        failures.append(message)
        say(f"  FAIL {message}")
    return condition


def ok(message: str) -> None:
    say(f"  ok   {message}")


def as_json(value):
    """Plain JSON data (dates, decimals, UUIDs as Django's JSON serializer writes them)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


# Snapshot


def content_rows() -> dict[str, dict[str, dict]]:
    """``{"articles.article": {"1": {field: value, ...}}}`` for every model of the content apps."""
    rows: dict[str, dict[str, dict]] = {}
    for app in CONTENT_APPS:
        for model in apps.get_app_config(app).get_models():
            objects = serializers.serialize("python", model._default_manager.order_by("pk"))
            rows[model._meta.label_lower] = {
                str(item["pk"]): as_json(item["fields"]) for item in objects
            }
    return rows


def report(languages: list[str]) -> dict:
    out = io.StringIO()
    args = ["translation_report", "--format", "json"]
    for language in languages:
        args += ["--lang", language]
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def client() -> Client:
    # The default ALLOWED_HOSTS has localhost; the test client's "testserver" is not in it.
    return Client(HTTP_HOST="localhost")


def get(path: str, **headers):
    response = client().get(path, headers=headers)
    body = (
        response.json() if response.get("Content-Type", "").startswith("application/json") else None
    )
    return response, body


def published_article_slugs() -> list[str]:
    return list(
        Article.objects.published()
        .order_by("pk")
        .values_list(localized("slug", source_language()), flat=True)
    )


def api_paths(language: str) -> list[str]:
    paths = [f"{API}/articles/?lang={language}"]
    paths += [f"{API}/articles/{slug}/?lang={language}" for slug in published_article_slugs()]
    paths += [f"{API}/{name}/?lang={language}" for name in ("topics", "contacts", "disclaimers")]
    return paths


def api_responses(languages: list[str]) -> dict[str, dict]:
    result = {}
    for language in languages:
        for path in api_paths(language):
            response, body = get(path)
            result[path] = {"status": response.status_code, "body": body}
    return result


def snapshot(path: Path) -> None:
    languages = language_codes()
    data = {
        "languages": languages,
        "content": content_rows(),
        "report": report(target_languages()),
        "api": api_responses(languages),
        "api_languages": get(f"{API}/languages/")[1],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    counts = ", ".join(f"{label}: {len(rows)}" for label, rows in data["content"].items())
    say(f"Snapshot of {', '.join(languages)} written to {path.name} ({counts}).")
    if not data["content"]["articles.article"]:
        sys.exit("The snapshot has no articles: was the demo content loaded?")


# Check


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


def check_untranslated(label: str, figures: dict, source_total: int | None) -> bool:
    """Nothing translated: every field with English text is missing (0 %, where there is any).

    A content type the demo holds none of (reviewers) has nothing to translate: 0 of 0.
    """
    good = check(
        figures["current"] == 0 and figures["stale"] == 0,
        f"{label}: expected 0 current, 0 stale, got {figures}",
    )
    good &= check(
        figures["total"] == source_total and figures["missing"] == figures["total"],
        f"{label}: expected missing == total == {source_total} (the English total), got {figures}",
    )
    if figures["total"]:
        good &= check(figures["percent"] == 0, f"{label}: expected 0 %, got {figures}")
    return good


def check_report(snap: dict, language: str) -> None:
    say(f"translation_report: {language} is 0 % translated, the others unchanged")
    data = report([language])
    rows = {row["content_type"]: row for row in data["rows"]}
    totals = {
        name: figures.total for name, figures in completeness_by_type(source_language()).items()
    }
    for model in translatable_models():
        name = api_name(model)
        row = rows.get(name)
        if not check(row is not None, f"translation_report has no row for {name}"):
            continue
        if check_untranslated(f"{language} {name}", row, totals.get(name)):
            ok(f"{name}: {row['percent']} % ({row['missing']} of {row['total']} fields missing)")
    check(
        data["overall"].get(language) == 0,
        f"overall for {language}: {data['overall'].get(language)}",
    )
    if check(
        report(target_languages()[:-1]) == snap["report"],
        "the report for the existing languages changed",
    ):
        ok(f"{', '.join(snap['report']['overall'])}: report unchanged {snap['report']['overall']}")


def expected_fallback(obj) -> set[str]:
    """Translatable fields of ``obj`` with an English text: all of them fall back."""
    source = source_language()
    return {
        name
        for name in translatable_fields(type(obj))
        if not is_blank(getattr(obj, localized(name, source)))
    }


def check_export(language: str, po_path: Path) -> None:
    say(f"export_translations {language}: one empty entry per translatable field")
    po = polib.pofile(str(po_path))
    check(po.metadata.get("Language") == language, f"PO Language header: {po.metadata}")
    expected: dict[str, str] = {}
    for model in translatable_models():
        for obj in model._default_manager.order_by("pk"):
            for name in sorted(expected_fallback(obj)):
                context = f"{obj._meta.label_lower}:{obj.pk}:{name}"
                expected[context] = getattr(obj, localized(name, source_language()))
    contexts = [entry.msgctxt for entry in po]
    check(len(contexts) == len(set(contexts)), "the PO file has duplicate entries")
    check(
        set(contexts) == set(expected),
        f"PO entries differ: missing {sorted(set(expected) - set(contexts))}, "
        f"unexpected {sorted(set(contexts) - set(expected))}",
    )
    for entry in po:
        check(entry.msgstr == "", f"{entry.msgctxt}: msgstr is not empty")
        check(not entry.fuzzy, f"{entry.msgctxt}: marked fuzzy")
        if entry.msgctxt in expected:
            check(
                entry.msgid == expected[entry.msgctxt], f"{entry.msgctxt}: msgid is not the English"
            )
    ok(f"{len(po)} entries, {len(expected)} expected")


def translated_values(item: dict, names: set[str]) -> dict:
    values = {}
    for name in names:
        if name in item:
            values[name] = item[name]
        elif name in ("condition", "intervention"):
            values[name] = item.get("study", {}).get(name)
    return values


def check_object(where: str, item: dict, obj, detail: bool = True) -> None:
    """``item`` (an API object in the new language) is ``obj`` in English, all fallen back."""
    expected = expected_fallback(obj)
    translation = item.get("translation") or {}
    fallback = translation.get("fallback_fields")
    check(
        fallback is not None and sorted(fallback) == sorted(expected),
        f"{where}: fallback_fields {fallback}, expected {sorted(expected)}",
    )
    check(translation.get("stale_fields") == [], f"{where}: stale_fields {translation}")
    check(
        item.get("language") == source_language() and item.get("dir") == "ltr",
        f"{where}: language/dir {item.get('language')}/{item.get('dir')}, expected "
        f"{source_language()}/ltr (every field fell back)",
    )
    names = set(translated_fields(type(obj))) if detail else expected & set(item)
    served = translated_values(item, names)
    for name, value in served.items():
        english = getattr(obj, localized(name, source_language())) or ""
        check(value == english, f"{where}: {name} is {value!r}, expected the English {english!r}")


def without_fallback(value):
    """The response with every ``fallback_fields`` emptied (to compare with English)."""
    if isinstance(value, dict):
        result = {key: without_fallback(item) for key, item in value.items()}
        if isinstance(result.get("translation"), dict):
            result["translation"] = {**result["translation"], "fallback_fields": []}
        return result
    if isinstance(value, list):
        return [without_fallback(item) for item in value]
    return value


def keyed(items: list[dict], key: str) -> dict:
    return {item[key]: item for item in items}


def check_api(snap: dict, language: str) -> None:
    from articles.models import Topic
    from clinic.models import ContactLine, Disclaimer

    source = source_language()
    say(f"API in {language}: English text, every fallen-back field listed")

    def fetch(path: str, **headers):
        response, body = get(path, **headers)
        check(response.status_code == 200, f"GET {path}: {response.status_code} {body}")
        check(
            response.get("Content-Language") == language,
            f"GET {path}: Content-Language {response.get('Content-Language')}, expected {language}",
        )
        return body if response.status_code == 200 else None

    def english(path: str):
        return get(path.replace(f"lang={language}", f"lang={source}"))[1]

    # Article list.
    path = f"{API}/articles/?lang={language}"
    body = fetch(path)
    if body is not None:
        published = {a.slug_en: a for a in Article.objects.published()}
        results = body.get("results", [])
        check(
            body.get("count") == len(published) == len(results) and published,
            f"{path}: count {body.get('count')}, expected {len(published)} published",
        )
        for item in results:
            article = published.get(item.get("slug"))
            if not check(article is not None, f"{path}: slug {item.get('slug')!r} is not English"):
                continue
            check_object(f"{path} {article.slug_en}", item, article, detail=False)
            check(
                set(item["translation"]["fallback_fields"]) >= SEED_ARTICLE_FIELDS
                or article.slug_en not in snap_seed_slugs(snap),
                f"{path}: the seed article does not list {sorted(SEED_ARTICLE_FIELDS)}",
            )
            check(
                language not in item.get("available_languages", [language])
                and language not in item.get("alternates", {language: ""}),
                f"{path}: {language} is listed as available: {item.get('available_languages')}",
            )
            for topic in item.get("topics", []):
                obj = Topic.objects.filter(slug_en=topic.get("slug")).first()
                if check(obj is not None, f"{path}: topic slug {topic.get('slug')!r} not English"):
                    check_object(f"{path} topic {obj.slug_en}", topic, obj)
        check(
            without_fallback(body) == english(path),
            f"{path}: differs from the English list beyond fallback_fields",
        )
        ok(f"{path}: {len(results)} article(s) in English, fallback listed")

    # Article detail, by ?lang= and by Accept-Language.
    for slug in published_article_slugs():
        article = Article.objects.get(slug_en=slug)
        for path, headers in (
            (f"{API}/articles/{slug}/?lang={language}", {}),
            (f"{API}/articles/{slug}/", {"Accept-Language": f"{language}-CA, {language};q=0.9"}),
        ):
            body = fetch(path, **headers)
            if body is None:
                continue
            where = f"{path} {headers or ''}".strip()
            check_object(where, body, article)
            fallback = set(body["translation"]["fallback_fields"])
            check(
                fallback >= SEED_ARTICLE_FIELDS or slug not in snap_seed_slugs(snap),
                f"{where}: fallback_fields {sorted(fallback)} lack some of "
                f"{sorted(SEED_ARTICLE_FIELDS)}",
            )
            check(
                body.get("json_ld", {}).get("inLanguage") == source,
                f"{where}: json_ld inLanguage {body.get('json_ld', {}).get('inLanguage')}",
            )
            disclaimers = body.get("disclaimers", [])
            for item in disclaimers:
                obj = Disclaimer.objects.get(key=item["key"])
                check_object(f"{where} disclaimer {obj.key}", item, obj)
            if not headers:
                check(
                    without_fallback(body) == english(path),
                    f"{path}: differs from the English detail beyond fallback_fields",
                )
            ok(f"{where}: {sorted(fallback)} fell back; {len(disclaimers)} disclaimer(s)")

    # Topics, contact lines, disclaimers.
    lists = (
        ("topics", Topic, "slug", lambda item: Topic.objects.get(slug_en=item["slug"])),
        (
            "contacts",
            ContactLine,
            "e164",
            lambda item: ContactLine.objects.get(number=item["e164"]),
        ),
        ("disclaimers", Disclaimer, "key", lambda item: Disclaimer.objects.get(key=item["key"])),
    )
    for name, model, key, lookup in lists:
        path = f"{API}/{name}/?lang={language}"
        body = fetch(path)
        if body is None:
            continue
        check(
            len(body) == model._default_manager.count() > 0,
            f"{path}: {len(body)} item(s), expected {model._default_manager.count()}",
        )
        for item in body:
            check_object(f"{path} {item.get(key)}", item, lookup(item))
        check(
            keyed(without_fallback(body), key) == keyed(english(path), key),
            f"{path}: differs from the English list beyond fallback_fields",
        )
        ok(f"{path}: {len(body)} item(s) in English, fallback listed")

    # Search and the topic filter see the English text too.
    article = Article.objects.published().order_by("pk").first()
    if article is not None:
        for query in (
            f"q={article.title_en.split()[-1]}",
            f"topic={article.topics.order_by('pk').first().slug_en}",
            "ordering=title",
        ):
            path = f"{API}/articles/?lang={language}&{query}"
            body = fetch(path)
            if body is not None:
                slugs = [item["slug"] for item in body.get("results", [])]
                check(article.slug_en in slugs, f"{path}: {article.slug_en} not found ({slugs})")
        ok(f"search, topic filter and ordering by title in {language} find the article")

    # Languages: the new one at 0 %, the others unchanged.
    path = f"{API}/languages/"
    response, body = get(path)
    if check(response.status_code == 200, f"GET {path}: {response.status_code}"):
        entries = keyed(body, "code")
        entry = entries.get(language)
        if check(entry is not None, f"{path}: {language} is not listed"):
            check(
                entry["fallback"] == [language, source] and entry["default"] is False,
                f"{path}: {language} fallback/default {entry['fallback']}/{entry['default']}",
            )
            english = entries[source]["completeness"]
            for content_type, figures in entry["completeness"].items():
                check_untranslated(
                    f"{path}: {language} {content_type}",
                    figures,
                    english[content_type]["total"],
                )
            ok(
                f"{path}: {language} “{entry['name']}” / “{entry['name_local']}”, {entry['dir']}, "
                f"0 % for {', '.join(entry['completeness'])}"
            )
        before = keyed(snap["api_languages"], "code")
        check(
            {code: entries.get(code) for code in before} == before,
            f"{path}: the existing languages changed",
        )

    # Interface catalog: the new language exists, nothing is translated yet.
    path = f"{API}/i18n/catalog/?lang={language}"
    body = fetch(path)
    if body is not None:
        check(body.get("catalog") == {}, f"{path}: catalog is not empty: {body.get('catalog')}")
        ok(f"{path}: empty catalog, plural {body.get('plural')!r}")


def snap_seed_slugs(snap: dict) -> set[str]:
    """English slugs of the articles that existed before the language was added."""
    return {row["slug_en"] for row in snap["content"]["articles.article"].values()}


def check_existing_api(snap: dict) -> None:
    languages = snap["languages"]
    say(f"API in {', '.join(languages)}: every response as before")
    now = api_responses(languages)
    for path, before in snap["api"].items():
        after = now.get(path)
        if check(after == before, f"GET {path} changed"):
            ok(f"GET {path}: {before['status']}, unchanged")


def check_permissions(language: str, before: list[str]) -> None:
    """Permissions the models declare exist; staff groups cover the new language as the others."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    say(f"Permissions and staff groups cover {language}")
    declared = 0
    for app in CONTENT_APPS:
        for model in apps.get_app_config(app).get_models():
            content_type = ContentType.objects.get_for_model(model)
            for codename, _name in model._meta.permissions:
                declared += 1
                check(
                    Permission.objects.filter(
                        content_type=content_type, codename=codename
                    ).exists(),
                    f"permission {model._meta.app_label}.{codename} is missing",
                )
    ok(f"{declared} permission(s) declared by the content models exist")
    source = source_language()

    def perm(code: str) -> str:
        return f"translate_{code.replace('-', '_')}"

    existing = [perm(code) for code in before if code != source]
    held_by = {
        group.name: set(
            group.permissions.filter(codename__startswith="translate_").values_list(
                "codename", flat=True
            )
        )
        for group in Group.objects.all()
    }
    if not Permission.objects.filter(codename__in=existing).exists():
        ok("no per-language translate permissions in this project: nothing more to check")
        return
    new = perm(language)
    check(Permission.objects.filter(codename=new).exists(), f"permission {new} is missing")
    # Groups that may translate into every existing language may translate into the new one.
    for name, held in held_by.items():
        if set(existing) <= held:
            check(new in held, f"group “{name}” translates {sorted(held)} but not {new}")
    # One group per language (translators): the new language has one too.
    single = {name: next(iter(held)) for name, held in held_by.items() if len(held) == 1}
    if set(existing) <= set(single.values()):
        check(
            new in single.values(),
            f"no group has {new} alone, as {', '.join(sorted(single))} have "
            f"{', '.join(sorted(existing))} (groups set up by a migration that already ran "
            "do not learn about a new language)",
        )
    with_new = sorted(name for name, held in held_by.items() if new in held)
    if with_new:
        ok(f"groups with {new}: {', '.join(with_new)}")


def check_admin(language: str) -> None:
    """A superuser's change form of every translated model has the new language's inputs."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    say(f"Admin: every translated model's form has {language} inputs")
    user = get_user_model().objects.create_superuser("add-language-check", "ci@example.org", "x")
    browser = client()
    browser.force_login(user)
    for model in translatable_models():
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        opts = model._meta
        for path in (
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
        ):
            response = browser.get(path)
            check(response.status_code == 200, f"GET {path}: {response.status_code}")
        html = response.content.decode()
        inputs = [localized(name, language) for name in translatable_fields(model)]
        missing = [name for name in inputs if f'name="{name}"' not in html]
        if check(not missing, f"{path}: no input for {', '.join(missing)}"):
            ok(f"{path}: {', '.join(inputs)}")


def report_failures(language: str) -> int:
    if failures:
        say(f"\n{len(failures)} check(s) failed:")
        for failure in failures:
            say(f"  - {failure}")
        return 1
    say(f"\nEvery check passed for {language}.")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "snapshot":
        snapshot(Path(argv[1]))
        return 0
    if len(argv) == 4 and argv[0] == "check":
        snap = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        language = argv[2]
        check_settings(language, snap["languages"])
        if failures:
            return 1
        check_schema(language)
        check_content(snap, language)
        check_report(snap, language)
        check_export(language, Path(argv[3]))
        check_api(snap, language)
        check_existing_api(snap)
        check_permissions(language, snap["languages"])
        check_admin(language)
        return report_failures(language)
    if len(argv) == 3 and argv[0] == "fresh":
        snap = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        language = argv[2]
        check_settings(language, snap["languages"])
        if failures:
            return 1
        check_schema(language)
        check_permissions(language, snap["languages"])
        return report_failures(language)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
