"""In-process facts for bench.run, as JSON on standard output.

Picks the URLs to measure in the configured database (a real Arabic slug, a
search word that matches some articles, a topic), then requests each one with
Django's test client, as a gunicorn worker would (production settings, HTTPS
through ``X-Forwarded-Proto``), and records the status, the response size and
the SQL queries of a warm request (``CaptureQueriesContext``), with the
server-side response cache off and on; lists the detail URL of every published
article in every language (for the mixed run).

    DJANGO_SETTINGS_MODULE=bench.settings SECRET_KEY=... python -m bench.probe
"""

import json
import os
import platform
import sqlite3
import statistics
import sys
import time
from urllib.parse import quote, urlencode

# BENCH_HOST: the host and port gunicorn will serve (absolute URLs in the bodies contain it).
HEADERS = {
    "HTTP_HOST": os.environ.get("BENCH_HOST", "127.0.0.1"),
    "HTTP_X_FORWARDED_PROTO": "https",
}
TIMED_REQUESTS = 5


def endpoints() -> dict[str, str]:
    """Name → path and query of every endpoint measured (percent-encoded)."""
    from articles.models import Article, Topic
    from bench import textbank

    published = Article.objects.published().order_by("pk")
    count = published.count()
    if not count:
        raise SystemExit("No published article: run python -m bench.generate first.")
    slug = published.values_list("slug_ar", flat=True)[count // 2]
    topic = Topic.objects.get(slug_en=textbank.FILTER_TOPIC).slug_ar

    def articles(**query) -> str:
        return f"/api/v1/articles/?{urlencode({'lang': 'ar', **query})}"

    return {
        "list": articles(page_size=20),
        "detail": f"/api/v1/articles/{quote(slug)}/?lang=ar",
        "contacts": "/api/v1/contacts/?lang=ar",
        "search": articles(q=textbank.SEARCH_WORD_AR),
        "topic": articles(topic=topic, page_size=20),
        "limit": "/bench/limit/",
    }


def detail_paths() -> list[str]:
    """The detail of every published article in every language, by its slug in that language.

    An article without a slug in a language is asked for by its English slug
    (any language's slug finds the article). The mixed run reads these.
    """
    from articles.models import Article
    from clinic.i18n.languages import language_codes, source_language

    codes = language_codes()
    columns = [f"slug_{code}" for code in codes]
    source = columns.index(f"slug_{source_language()}")
    paths = []
    for slugs in Article.objects.published().order_by("pk").values_list(*columns):
        for code, slug in zip(codes, slugs, strict=True):
            paths.append(f"/api/v1/articles/{quote(slug or slugs[source])}/?lang={code}")
    return paths


def database() -> dict:
    from django.db import connection

    from articles.models import Article

    info = {
        "vendor": connection.vendor,
        "name": str(connection.settings_dict["NAME"]),
        "articles": Article.objects.count(),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["version"] = f"PostgreSQL {cursor.fetchone()[0]}"
    elif connection.vendor == "sqlite":
        info["version"] = f"SQLite {sqlite3.sqlite_version}"
    return info


def measure(client, path: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    result: dict = {"path": path}
    with override_settings(API_RESPONSE_CACHE_SECONDS=0):
        client.get(path)  # warm: first-use caches (content types, translations)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        # Read them now: every request starts by clearing the connection's query log.
        sql = [query["sql"][:400] for query in queries.captured_queries]
        timings = []
        for _ in range(TIMED_REQUESTS):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
    result.update(
        status=response.status_code,
        bytes=len(response.content),
        queries=len(sql),
        sql=sql,
        in_process_ms=round(statistics.median(timings), 2),
    )
    if response.get("Content-Type", "").startswith("application/json"):
        data = json.loads(response.content)
        if isinstance(data, dict) and "count" in data:
            result["count"] = data["count"]
    with override_settings(API_RESPONSE_CACHE_SECONDS=300):
        client.get(path)
        with CaptureQueriesContext(connection) as cached_queries:
            cached = client.get(path)
        cached_count = len(cached_queries.captured_queries)
    result.update(
        cached_status=cached.status_code,
        cached_bytes=len(cached.content),
        cached_queries=cached_count,
        cached_hit=cached.get("X-Cache") == "hit",
    )
    return result


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.test import Client

    client = Client(**HEADERS)
    report = {
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database(),
        "endpoints": {name: measure(client, path) for name, path in endpoints().items()},
        "detail_paths": detail_paths(),
    }
    sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
