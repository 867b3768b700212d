"""Server-side cache of anonymous API responses, shared by every process.

Keys hold the content version (its token and how many scheduled times have
passed), the negotiated language, the path and the normalised query. Any
content change starts a new version once its transaction commits, so every
process's next request misses and renders the new content: nothing is ever
deleted, old entries simply expire. An entry never outlives the next scheduled
change either. Responses vary only by what is in the key (``Accept-Language``
is reduced to the negotiated language first, so the cache is not fragmented).
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from clinic.content_version import ContentVersion, current_version

CACHED_HEADERS = ("Content-Type", "Cache-Control", "Last-Modified")


def enabled() -> bool:
    return settings.API_RESPONSE_CACHE_SECONDS > 0


def versioned_key(
    prefix: str, request, version: ContentVersion, ignore: frozenset[str] = frozenset()
) -> str:
    """A key of ``request`` within ``version``: path, sorted query (but ``ignore``), language."""
    query = sorted(
        (key, value)
        for key, values in request.GET.lists()
        if key != "lang" and key not in ignore
        for value in values
    )
    raw = f"{request.path}?{urlencode(query)}"
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    points = version.passed_schedule_points()
    return f"{prefix}:{version.token}:{points}:{request.LANGUAGE_CODE}:{digest}"


def cache_key(request, version: ContentVersion) -> str:
    return versioned_key("api-response", request, version)


def timeout_within(version: ContentVersion, seconds: int) -> int:
    """``seconds``, or less if a scheduled article goes live sooner (never a stale entry)."""
    timeout = seconds
    now = timezone.now()
    upcoming = [moment for moment in version.scheduled or () if moment > now]
    if upcoming:
        timeout = min(timeout, max(1, int((min(upcoming) - now).total_seconds())))
    return timeout


def lookup(request) -> tuple[str, HttpResponse | None]:
    """The cache key of ``request`` and the cached response, if there is one."""
    key = cache_key(request, current_version())
    entry = cache.get(key)
    if entry is None:
        return key, None
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"].items():
        response[name] = value
    response["X-Cache"] = "hit"
    return key, response


def store(key: str, response) -> None:
    """Keep a successful response once it is rendered."""

    def keep(rendered) -> None:
        entry = {
            "content": rendered.content,
            "status": rendered.status_code,
            "headers": {
                name: rendered[name] for name in CACHED_HEADERS if rendered.has_header(name)
            },
        }
        cache.set(
            key,
            entry,
            timeout=timeout_within(current_version(), settings.API_RESPONSE_CACHE_SECONDS),
        )

    response["X-Cache"] = "miss"
    response.add_post_render_callback(keep)
