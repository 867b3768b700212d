"""What every check shares: the list of failures, output, the test client, fallback."""

import json
import sys
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client

from articles.models import Article
from clinic.i18n.languages import source_language
from clinic.i18n.registry import localized, translatable_fields
from clinic.i18n.state import is_blank

# The copy of the project the checks run in (.ci/add_language/ is two levels down).
ROOT = Path(__file__).resolve().parents[2]
CONTENT_APPS = ("articles", "clinic", "i18n", "reviews")
API = "/api/v1"
# The seed article has English text in all of these (docs/architecture.md, "Content model").
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


def expected_fallback(obj) -> set[str]:
    """Translatable fields of ``obj`` with an English text: all of them fall back."""
    source = source_language()
    return {
        name
        for name in translatable_fields(type(obj))
        if not is_blank(getattr(obj, localized(name, source)))
    }
