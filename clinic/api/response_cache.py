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


def cache_key(request, version: ContentVersion) -> str:
    query = sorted(
        (key, value) for key, values in request.GET.lists() if key != "lang" for value in values
    )
    raw = f"{request.path}?{urlencode(query)}"
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    points = version.passed_schedule_points()
    return f"api-response:{version.token}:{points}:{request.LANGUAGE_CODE}:{digest}"


def _timeout(version: ContentVersion) -> int:
    """Seconds to keep an entry: the setting, or less if a scheduled article goes live sooner."""
    timeout = settings.API_RESPONSE_CACHE_SECONDS
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
        cache.set(key, entry, timeout=_timeout(current_version()))

    response["X-Cache"] = "miss"
    response.add_post_render_callback(keep)
