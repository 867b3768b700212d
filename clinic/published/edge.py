"""Edge caches in front of the API (Varnish, Fastly, Cloudflare): surrogate keys and purges.

Every public API response names what it shows in one header
(``EDGE_CACHE_KEY_HEADER``): its *surrogate keys*, which are the read model's
tags (:func:`clinic.published.store.tags_of_change`: ``article:12:ar``,
``article:set``, ``slug:article:<hash>``, ``topic:ar``…), plus :data:`ALL`,
which every response carries. Each committed change purges exactly the tags it
moved in every configured edge (``EDGE_CACHE_PURGE_URLS``), so an edit of one
article drops the responses that show it, or lists it may enter or leave, and
nothing else.

Purges listen to the read model (:func:`clinic.published.store.on_announce`)
and wait for the commit (``transaction.on_commit``): a rolled-back change
purges nothing. A purge request has ``EDGE_CACHE_PURGE_TIMEOUT`` seconds; a
failure is logged, never raised into the request that made the change (the
edge then serves what it holds until its ``max-age``). The same keys are
purged again ``EDGE_CACHE_REPURGE_SECONDS`` later: between the commit and the
moment every process knows of it (``API_FRESHNESS_SECONDS``) an edge may have
fetched a response that was current a moment before.
"""

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote, urlsplit, urlunsplit

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from clinic.published.freshness import EVERYTHING

logger = logging.getLogger(__name__)

#: The key of every response: purging it purges everything.
ALL = "all"
#: A change that moves more keys than this purges everything instead (one request per edge).
MAX_KEYS = 500


def surrogate_keys(tags: Iterable[str]) -> list[str]:
    """The keys of a response showing what ``tags`` name: the tags, and :data:`ALL`."""
    return list(dict.fromkeys((*tags, ALL)))


def key_header(tags: Iterable[str]) -> tuple[str, str] | None:
    """The header (name, value) naming the keys of a response with ``tags``; None: off.

    Cloudflare's ``Cache-Tag`` separates keys with commas; ``xkey`` and
    Fastly's ``Surrogate-Key`` with spaces.
    """
    name = settings.EDGE_CACHE_KEY_HEADER
    if not name:
        return None
    separator = "," if name.lower() == "cache-tag" else " "
    return name, separator.join(surrogate_keys(tags))


class PurgeFailed(Exception):
    """An edge refused or did not answer a purge."""


class Edge:
    """One edge cache; :meth:`purge` purges keys (a list of strings), :meth:`purge_all` all."""

    #: Keys per request (the edge's limit, or a header size that every proxy accepts).
    batch = 100

    def __init__(self, *, session: requests.Session | None = None) -> None:
        self.session = session or requests.Session()

    def purge(self, keys: Sequence[str]) -> None:
        for start in range(0, len(keys), self.batch):
            self._purge(list(keys[start : start + self.batch]))

    def purge_all(self) -> None:
        raise NotImplementedError

    def _purge(self, keys: list[str]) -> None:
        raise NotImplementedError

    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            response = self.session.request(
                method, url, timeout=settings.EDGE_CACHE_PURGE_TIMEOUT, **kwargs
            )
        except requests.RequestException as exc:
            raise PurgeFailed(f"{self}: {exc}") from exc
        if response.status_code >= 300:
            raise PurgeFailed(f"{self}: HTTP {response.status_code} {response.text[:200]!r}")
        return response


class Varnish(Edge):
    """A Varnish running ``deploy/varnish/clinic.vcl``: ``PURGE`` with an ``xkey-purge`` header.

    The VCL accepts it from the addresses of its ``purgers`` ACL only.
    """

    #: Keys of about 20 bytes: a header of about 2 kB, far below Varnish's 8 kB limit.
    batch = 100

    def __init__(self, url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.url = url

    def __str__(self) -> str:
        return f"Varnish {self.url}"

    def _purge(self, keys: list[str]) -> None:
        self._send("PURGE", self.url, headers={"xkey-purge": " ".join(keys)})

    def purge_all(self) -> None:
        self._purge([ALL])


class Fastly(Edge):
    """Fastly's purge API: surrogate keys of a service (the ``Surrogate-Key`` header)."""

    api = "https://api.fastly.com"
    #: Fastly's limit of keys per request.
    batch = 256

    def __init__(self, service: str, token: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.service, self.token = service, token

    def __str__(self) -> str:
        return f"Fastly service {self.service}"

    def _purge(self, keys: list[str]) -> None:
        self._send(
            "POST",
            f"{self.api}/service/{self.service}/purge",
            headers={"Fastly-Key": self.token, "Accept": "application/json"},
            json={"surrogate_keys": keys},
        )

    def purge_all(self) -> None:
        self._send(
            "POST",
            f"{self.api}/service/{self.service}/purge_all",
            headers={"Fastly-Key": self.token, "Accept": "application/json"},
        )


class Cloudflare(Edge):
    """Cloudflare's purge API: cache tags of a zone (the ``Cache-Tag`` header)."""

    api = "https://api.cloudflare.com/client/v4"
    #: Cloudflare's limit of tags per request (the lowest of its plans).
    batch = 30

    def __init__(self, zone: str, token: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.zone, self.token = zone, token

    def __str__(self) -> str:
        return f"Cloudflare zone {self.zone}"

    def _purge(self, keys: list[str]) -> None:
        self._post({"tags": keys})

    def purge_all(self) -> None:
        self._post({"purge_everything": True})

    def _post(self, body: dict) -> None:
        response = self._send(
            "POST",
            f"{self.api}/zones/{self.zone}/purge_cache",
            headers={"Authorization": f"Bearer {self.token}"},
            json=body,
        )
        try:
            success = response.json().get("success")
        except ValueError:
            success = False
        if not success:
            raise PurgeFailed(f"{self}: {response.text[:200]!r}")


def edge_from_url(url: str) -> Edge:
    """The edge a purge URL names (``EDGE_CACHE_PURGE_URLS``), or ImproperlyConfigured.

    ``http(s)://host:port/`` (Varnish), ``fastly://TOKEN@SERVICE_ID``,
    ``cloudflare://TOKEN@ZONE_ID`` (a token with reserved characters percent-encoded).
    """
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.hostname:
        return Varnish(urlunsplit(parts))
    if parts.scheme in ("fastly", "cloudflare"):
        # (Not ``hostname``: it lowercases, and service ids are case-sensitive.)
        token, place = unquote(parts.username or ""), parts.netloc.rpartition("@")[2]
        if token and place:
            edge = Fastly if parts.scheme == "fastly" else Cloudflare
            return edge(place, token)
    raise ImproperlyConfigured(
        f"EDGE_CACHE_PURGE_URLS: {_redacted(url)!r} is not http(s)://host:port/ (Varnish), "
        "fastly://TOKEN@SERVICE_ID or cloudflare://TOKEN@ZONE_ID."
    )


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.username:
        return url.replace(parts.username, "…", 1)
    return url


@cache
def _edges(urls: tuple[str, ...]) -> tuple[Edge, ...]:
    return tuple(edge_from_url(url) for url in urls)


def edges() -> tuple[Edge, ...]:
    """The configured edges (one requests session each, kept)."""
    return _edges(tuple(settings.EDGE_CACHE_PURGE_URLS))


@dataclass(frozen=True)
class Outcome:
    edge: str
    error: str | None = None


def purge(keys: Iterable[str] | None) -> list[Outcome]:
    """Purge ``keys`` (None: everything) in every edge; what each one answered.

    A failure is logged and reported, never raised.
    """
    keys = None if keys is None else list(dict.fromkeys(keys))
    if keys is not None and len(keys) > MAX_KEYS:
        keys = None
    outcomes = []
    for edge in edges():
        try:
            if keys is None:
                edge.purge_all()
            else:
                edge.purge(keys)
        except Exception as exc:
            what = "everything" if keys is None else f"{len(keys)} keys"
            logger.warning("Edge purge of %s failed: %s", what, exc)
            outcomes.append(Outcome(str(edge), str(exc)))
        else:
            outcomes.append(Outcome(str(edge)))
    return outcomes


def keys_of_change(tags: Iterable[str]) -> list[str] | None:
    """The keys a change that moved ``tags`` purges (None: everything)."""
    tags = list(tags)
    return None if EVERYTHING in tags else tags


def later(seconds: float, action: Callable[[], object]) -> None:
    """Run ``action`` in ``seconds``, in a daemon thread (a re-purge)."""
    timer = threading.Timer(seconds, action)
    timer.daemon = True
    timer.start()


def purge_change(tags: Sequence[str]) -> None:
    """Purge what a committed change moved, now and again ``EDGE_CACHE_REPURGE_SECONDS`` later."""
    keys = keys_of_change(tags)
    purge(keys)
    if settings.EDGE_CACHE_REPURGE_SECONDS > 0:
        later(settings.EDGE_CACHE_REPURGE_SECONDS, lambda: purge(keys))


def purge_on_commit(changes, tags: list[str]) -> None:
    """The read model's listener: purge ``tags`` once the change is committed (never before)."""
    if settings.EDGE_CACHE_PURGE_URLS and tags:
        transaction.on_commit(lambda: purge_change(tags), robust=True)
