"""The API in the new language: English text, every fallen-back field listed; the others as before.

Each ``check_api_*`` checks one part of the API; ``check_api`` runs them all.
"""

from articles.models import Article, Topic
from clinic.i18n.languages import source_language
from clinic.i18n.registry import localized, translated_fields
from clinic.models import ContactLine, Disclaimer

from .common import (
    API,
    SEED_ARTICLE_FIELDS,
    check,
    expected_fallback,
    get,
    ok,
    published_article_slugs,
    say,
)
from .snapshot import api_responses, snap_seed_slugs
from .translations import check_untranslated


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


def fetch(path: str, language: str, **headers):
    """The body of a 200 response served in ``language``; None (a failure) otherwise."""
    response, body = get(path, **headers)
    check(response.status_code == 200, f"GET {path}: {response.status_code} {body}")
    check(
        response.get("Content-Language") == language,
        f"GET {path}: Content-Language {response.get('Content-Language')}, expected {language}",
    )
    return body if response.status_code == 200 else None


def english_body(path: str, language: str):
    """The body of the same request in the source language."""
    return get(path.replace(f"lang={language}", f"lang={source_language()}"))[1]


def check_api(snap: dict, language: str) -> None:
    say(f"API in {language}: English text, every fallen-back field listed")
    check_api_article_list(snap, language)
    check_api_article_detail(snap, language)
    check_api_lists(language)
    check_api_search(language)
    check_api_languages(snap, language)
    check_api_catalog(language)


def check_api_article_list(snap: dict, language: str) -> None:
    """Every published article, in English, its fallen-back fields and topics listed."""
    path = f"{API}/articles/?lang={language}"
    body = fetch(path, language)
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
            without_fallback(body) == english_body(path, language),
            f"{path}: differs from the English list beyond fallback_fields",
        )
        ok(f"{path}: {len(results)} article(s) in English, fallback listed")


def check_api_article_detail(snap: dict, language: str) -> None:
    """Each published article by ?lang= and by Accept-Language: English, disclaimers too."""
    source = source_language()
    for slug in published_article_slugs():
        article = Article.objects.get(slug_en=slug)
        for path, headers in (
            (f"{API}/articles/{slug}/?lang={language}", {}),
            (f"{API}/articles/{slug}/", {"Accept-Language": f"{language}-CA, {language};q=0.9"}),
        ):
            body = fetch(path, language, **headers)
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
                    without_fallback(body) == english_body(path, language),
                    f"{path}: differs from the English detail beyond fallback_fields",
                )
            ok(f"{where}: {sorted(fallback)} fell back; {len(disclaimers)} disclaimer(s)")


def check_api_lists(language: str) -> None:
    """Topics, contact lines, disclaimers: every object in English, fallback listed."""
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
        body = fetch(path, language)
        if body is None:
            continue
        check(
            len(body) == model._default_manager.count() > 0,
            f"{path}: {len(body)} item(s), expected {model._default_manager.count()}",
        )
        for item in body:
            check_object(f"{path} {item.get(key)}", item, lookup(item))
        check(
            keyed(without_fallback(body), key) == keyed(english_body(path, language), key),
            f"{path}: differs from the English list beyond fallback_fields",
        )
        ok(f"{path}: {len(body)} item(s) in English, fallback listed")


def check_api_search(language: str) -> None:
    """Search, the topic filter and ordering by title see the English text."""
    article = Article.objects.published().order_by("pk").first()
    if article is not None:
        for query in (
            f"q={article.title_en.split()[-1]}",
            f"topic={article.topics.order_by('pk').first().slug_en}",
            "ordering=title",
        ):
            path = f"{API}/articles/?lang={language}&{query}"
            body = fetch(path, language)
            if body is not None:
                slugs = [item["slug"] for item in body.get("results", [])]
                check(article.slug_en in slugs, f"{path}: {article.slug_en} not found ({slugs})")
        ok(f"search, topic filter and ordering by title in {language} find the article")


def check_api_languages(snap: dict, language: str) -> None:
    """The languages endpoint: the new one at 0 %, the others unchanged."""
    source = source_language()
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


def check_api_catalog(language: str) -> None:
    """The interface catalog: the new language exists, nothing is translated yet."""
    path = f"{API}/i18n/catalog/?lang={language}"
    body = fetch(path, language)
    if body is not None:
        check(body.get("catalog") == {}, f"{path}: catalog is not empty: {body.get('catalog')}")
        ok(f"{path}: empty catalog, plural {body.get('plural')!r}")


def check_existing_api(snap: dict) -> None:
    languages = snap["languages"]
    say(f"API in {', '.join(languages)}: every response as before")
    now = api_responses(languages)
    for path, before in snap["api"].items():
        after = now.get(path)
        if check(after == before, f"GET {path} changed"):
            ok(f"GET {path}: {before['status']}, unchanged")
