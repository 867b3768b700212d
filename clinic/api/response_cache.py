"""Server-side cache of anonymous API responses, shared by every process, answered up front.

:class:`ResponseCacheMiddleware` keeps each public response as it leaves the API's
middleware (:data:`~django.conf.settings.API_MIDDLEWARE`), headers and all, and
answers a repeat of the request before that middleware and DRF run: a hit
costs a key, a cache read, the freshness check and the throttle. Only the
middleware that depends on request headers the key leaves out runs around it
(compression and conditional requests: a kept body is plain, compressed as it
is sent, and a matching ``If-None-Match`` still answers 304).

A key is the scheme, host, negotiated language (``Accept-Language`` is reduced
to it, so the cache is not fragmented), path, normalised query, and the
``Accept`` and ``Origin`` headers (indented JSON, CORS headers). An entry keeps
the response, the number of the last change its process knew of, and the tags
of what the response contains (set by the view, :class:`~clinic.api.views.ApiViewMixin`);
it is served while none of those tags has moved since
(:mod:`clinic.published.freshness`), and never past the moment a scheduled
article goes live. An edit of one article therefore drops only the responses
that show it, or lists it may enter or leave; the rest stay. Throttling counts
a hit as it counts any request (the view's own throttles).

While the database cannot be reached, so nothing can be checked, a request the
view cannot answer (503) is served the response kept at most
``API_STALE_IF_ERROR_SECONDS`` ago, marked ``X-Cache: stale`` and ``Warning:
110``, unless this process already knows that something it shows has changed
since (responses are kept that much longer for it).
"""

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import set_response_etag

from clinic.api.errors import database_unavailable
from clinic.api.middleware import request_language
from clinic.i18n.negotiation import UnsupportedLanguage
from clinic.published import edge
from clinic.published.freshness import clock


def enabled() -> bool:
    return settings.API_RESPONSE_CACHE_SECONDS > 0


def request_key(
    prefix: str,
    request,
    language: str,
    ignore: frozenset[str] = frozenset(),
    extra: tuple[str, ...] = (),
) -> str:
    """A key of ``request`` in ``language``: path, sorted query (but ``lang`` and ``ignore``),
    and ``extra`` (what else the answer depends on)."""
    query = sorted(
        (key, value)
        for key, values in request.GET.lists()
        if key != "lang" and key not in ignore
        for value in values
    )
    raw = "\n".join((f"{request.path}?{urlencode(query)}", *extra))
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{prefix}:{language}:{digest}"


def response_key(request) -> str | None:
    """The key of a response to ``request``; ``None`` for an unsupported language (a 400).

    Besides the path, query and language, a kept response shows the scheme and
    host in its URLs, is indented on request (``Accept``) and carries the CORS
    headers of its ``Origin``. ``get_host()`` refuses a host not allowed, as it would
    further in.
    """
    try:
        language = request_language(request)
    except UnsupportedLanguage:
        return None
    meta = request.META  # not request.headers, which copies every header
    extra = (
        request.scheme,
        request.get_host(),
        meta.get("HTTP_ACCEPT", ""),
        meta.get("HTTP_ORIGIN", ""),
    )
    return request_key("api-response", request, language, extra=extra)


def current_entry(key: str):
    """The cached entry under ``key`` if what it holds is still current, else ``None``."""
    entry = cache.get(key)
    return entry if entry is not None and is_current(entry) else None


def is_current(entry: dict) -> bool:
    """Whether a cached entry is current: kept less than its ``seconds`` ago, none of its
    tags moved since, and no scheduled object went live since (``until``)."""
    clock.now()
    if time.time() >= entry["fresh_until"]:
        return False
    if not clock.current(entry["seq"], entry["tags"]):
        return False
    return entry["until"] is None or timezone.now() < entry["until"]


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


def name_keys(response, tags: Iterable[str]) -> None:
    """Name the surrogate keys of a public response showing ``tags`` (``EDGE_CACHE_KEY_HEADER``)."""
    header = edge.key_header(tags)
    if header is not None:
        response[header[0]] = header[1]


@dataclass(frozen=True)
class Keepable:
    """Set by a view on a response the cache may keep: as of which change, what it shows,
    who may ask how often."""

    #: The number of the last change known before the response was rendered.
    seq: int
    tags: tuple[str, ...]
    #: The view's throttles (DRF classes): a hit counts as a request to the view.
    throttle_classes: tuple[type, ...]


class ResponseCacheMiddleware:
    """Answers a GET the cache holds before the rest of the API's middleware and DRF run.

    In ``API_MIDDLEWARE`` after the middleware that depends on request headers the key
    leaves out (compression, conditional requests) and before everything else. A miss
    goes on, and its response is kept if the view says so (:class:`Keepable`); a 503 of
    a database outage is answered with the response kept, if any (:func:`stale`). The
    cache is read first: a request nothing was kept for costs no query here.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or not enabled():
            return self.get_response(request)
        key = response_key(request)
        if key is None:
            return self.get_response(request)
        entry = cache.get(key)
        if entry is not None and self._serves(request, entry):
            response = _response(entry)
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        keepable = getattr(response, "keepable", None)
        if keepable is not None and response.status_code == 200:
            _store(key, response, keepable)
        elif getattr(response, "database_unavailable", False):
            return stale(key) or response
        return response

    def _serves(self, request, entry: dict) -> bool:
        try:
            current = is_current(entry)
        except Exception as exc:
            if not database_unavailable(exc):
                raise
            return False  # nothing can be checked: the view answers, or 503 and stale()
        return current and _allowed(request, entry["throttles"])


def _allowed(request, throttle_classes: Iterable[type]) -> bool:
    """Whether the view's throttles let ``request`` through (counting it, as the view does).

    Django's request stands in for DRF's: the API's throttles read only its client address
    (:class:`clinic.api.throttling.AnonRateThrottle`). Refused: the request goes on to the
    view, whose throttles refuse it too (429).
    """
    return all(throttle().allow_request(request, None) for throttle in throttle_classes)


def stale(key: str) -> HttpResponse | None:
    """The kept response under ``key`` for a database outage, or ``None``.

    Served when kept at most ``API_STALE_IF_ERROR_SECONDS`` ago and nothing it
    shows is known (to this process, without the database) to have changed
    since; ``Cache-Control: no-store``, so no other cache keeps it.
    """
    if settings.API_STALE_IF_ERROR_SECONDS <= 0:
        return None
    entry = cache.get(key)
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
    """The kept response: a copy of its own (each cache read unpickles a new one)."""
    return entry["response"]


def _store(key: str, response, keepable: Keepable) -> None:
    """Keep a successful response as the API's middleware left it."""
    if not response.has_header("ETag"):
        set_response_etag(response)  # as ConditionalGetMiddleware would: once, not per hit
    kept = HttpResponse(
        response.content,
        status=response.status_code,
        headers=dict(response.items()),
    )
    # Kept as a response, not its parts: unpickling one costs less than building one.
    value = {"response": kept, "throttles": keepable.throttle_classes}
    keep(
        key,
        value,
        seq=keepable.seq,
        tags=keepable.tags,
        seconds=settings.API_RESPONSE_CACHE_SECONDS,
        stale_seconds=settings.API_STALE_IF_ERROR_SECONDS,
    )
    response["X-Cache"] = "miss"
