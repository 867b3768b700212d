"""Server-side cache of anonymous API responses, shared by every process.

A key is the negotiated language, the path and the normalised query
(``Accept-Language`` is reduced to the negotiated language first, so the cache
is not fragmented). An entry keeps the response, the number of the last change
its process knew of, and the tags of what the response contains; it is served
while none of those tags has moved since (:mod:`clinic.published.freshness`),
and never past the moment a scheduled article goes live. An edit of one
article therefore drops only the responses that show it, or lists it may enter
or leave; the rest stay.

While the database cannot be reached, so nothing can be checked, :func:`stale`
serves a response kept at most ``API_STALE_IF_ERROR_SECONDS`` ago, marked
``X-Cache: stale`` and ``Warning: 110``, unless this process already knows that
something it shows has changed since (responses are kept that much longer for it).
"""

import hashlib
import time
from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import set_response_etag

from clinic.published import edge
from clinic.published.freshness import clock

CACHED_HEADERS = ("Content-Type", "Cache-Control", "Last-Modified", "ETag", "X-Robots-Tag")


def enabled() -> bool:
    return settings.API_RESPONSE_CACHE_SECONDS > 0


def request_key(prefix: str, request, ignore: frozenset[str] = frozenset()) -> str:
    """A key of ``request``: path, sorted query (but ``lang`` and ``ignore``), language."""
    query = sorted(
        (key, value)
        for key, values in request.GET.lists()
        if key != "lang" and key not in ignore
        for value in values
    )
    raw = f"{request.path}?{urlencode(query)}"
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{prefix}:{request.LANGUAGE_CODE}:{digest}"


def current_entry(key: str):
    """The cached entry under ``key`` if what it holds is still current, else ``None``.

    Current: kept less than its ``seconds`` ago, none of its tags moved since,
    and no scheduled object went live since (``until``).
    """
    clock.now()
    entry = cache.get(key)
    if entry is None or time.time() >= entry["fresh_until"]:
        return None
    if not clock.current(entry["seq"], entry["tags"]):
        return None
    if entry["until"] is not None and timezone.now() >= entry["until"]:
        return None
    return entry


def keep(
    key: str,
    value: dict,
    *,
    seq: int,
    tags: Iterable[str],
    seconds: int,
    stale_seconds: int = 0,
) -> None:
    """Cache ``value`` under ``key``, as of change ``seq``, depending on ``tags``.

    It is current for ``seconds`` at most (:func:`current_entry`); it stays
    ``stale_seconds`` longer for :func:`stale`.
    """
    now, fresh = time.time(), clock.seconds_left(seconds)
    entry = {
        **value,
        "seq": seq,
        "tags": tuple(tags),
        "until": clock.next_live,
        "at": now,
        "fresh_until": now + fresh,
    }
    cache.set(key, entry, timeout=fresh + stale_seconds)


def lookup(request) -> tuple[str, int, HttpResponse | None]:
    """The key of ``request``, the change it is served as of, and the cached response."""
    key = request_key("api-response", request)
    entry = current_entry(key)
    seq = clock.seq
    if entry is None:
        return key, seq, None
    response = _response(entry)
    response["X-Cache"] = "hit"
    name_keys(response, entry["tags"])
    return key, seq, response


def name_keys(response, tags: Iterable[str]) -> None:
    """Name the surrogate keys of a public response showing ``tags`` (``EDGE_CACHE_KEY_HEADER``)."""
    header = edge.key_header(tags)
    if header is not None:
        response[header[0]] = header[1]


def stale(request) -> HttpResponse | None:
    """The kept response of ``request`` for a database outage, or ``None``.

    Served when kept at most ``API_STALE_IF_ERROR_SECONDS`` ago and nothing it
    shows is known (to this process, without the database) to have changed
    since; ``Cache-Control: no-store``, so no other cache keeps it.
    """
    if not enabled() or settings.API_STALE_IF_ERROR_SECONDS <= 0:
        return None
    entry = cache.get(request_key("api-response", request))
    if entry is None:
        return None
    age = time.time() - entry["at"]
    if age > settings.API_STALE_IF_ERROR_SECONDS or clock.known_outdated(
        entry["seq"], entry["tags"]
    ):
        return None
    response = _response(entry)
    response["X-Cache"] = "stale"
    response["Warning"] = '110 - "Response is Stale"'
    response["Age"] = str(max(0, int(age)))
    response["Cache-Control"] = "no-store"
    return response


def _response(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"].items():
        response[name] = value
    return response


def store(key: str, response, *, seq: int, tags: Iterable[str]) -> None:
    """Keep a successful response (once rendered, for DRF's)."""

    def keep_rendered(rendered) -> None:
        if not rendered.has_header("ETag"):
            set_response_etag(rendered)  # as ConditionalGetMiddleware would: once, not per hit
        value = {
            "content": rendered.content,
            "status": rendered.status_code,
            "headers": {
                name: rendered[name] for name in CACHED_HEADERS if rendered.has_header(name)
            },
        }
        keep(
            key,
            value,
            seq=seq,
            tags=tags,
            seconds=settings.API_RESPONSE_CACHE_SECONDS,
            stale_seconds=settings.API_STALE_IF_ERROR_SECONDS,
        )

    response["X-Cache"] = "miss"
    if hasattr(response, "add_post_render_callback"):
        response.add_post_render_callback(keep_rendered)
    else:
        keep_rendered(response)
