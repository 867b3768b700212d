"""Before the new language: what is recorded, and the functions the checks compare with."""

import io
import json
import sys
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from clinic.i18n.languages import language_codes, target_languages

from .common import API, CONTENT_APPS, as_json, get, published_article_slugs, say


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


def snap_seed_slugs(snap: dict) -> set[str]:
    """English slugs of the articles that existed before the language was added."""
    return {row["slug_en"] for row in snap["content"]["articles.article"].values()}
