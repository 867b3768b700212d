"""Throttling that keeps counting while the shared cache is down.

DRF's throttles keep each client's request history in the cache. Redis down is a
cache miss (:mod:`clinic.cache`), which would forget every history and so let
every request through. Instead, while the cache is unavailable, each process
counts in its own memory: a client can then make up to the rate *per worker
process*, and no more, until Redis is back (the histories kept per process
during the outage are then left to expire).

A history is kept as a packed array of times (``array("d")``, which DRF's throttle reads
and changes as it would a list): reading and writing it copies one block of bytes
instead of building a float object per request remembered. At a high rate that is most
of the throttle's cost (1,400 times: 41 µs as a list, 4.5 µs as an array, each request).
"""

import logging
from array import array

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.locmem import LocMemCache
from rest_framework import throttling

from clinic.cache import cache_available

logger = logging.getLogger(__name__)

_MISSING = object()


class Histories:
    """The shared cache, or this process's memory while the shared cache is unavailable."""

    def __init__(self) -> None:
        self.local = LocMemCache("throttle-histories", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self.counting_locally = False

    def get(self, key: str, default=None):
        shared = caches[DEFAULT_CACHE_ALIAS]
        value = shared.get(key, _MISSING)
        if self._shared_down(shared):
            return self.local.get(key, default)
        return default if value is _MISSING else value

    def set(self, key: str, value, timeout) -> None:
        if not isinstance(value, array):
            value = array("d", value)  # DRF's first history, or one kept as a list before
        shared = caches[DEFAULT_CACHE_ALIAS]
        shared.set(key, value, timeout)
        if self._shared_down(shared):
            self.local.set(key, value, timeout)

    def _shared_down(self, shared) -> bool:
        down = not cache_available(shared)
        if down != self.counting_locally:
            self.counting_locally = down
            if down:
                logger.warning("Throttling counts per process while the cache is unavailable.")
        return down


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's per-IP throttle (``API_THROTTLE_RATE``), per process while the cache is down.

    The API authenticates nobody (``DEFAULT_AUTHENTICATION_CLASSES`` is empty), so every
    request is counted by its client address, and the request may be Django's as well as
    DRF's (the response cache counts a hit before DRF runs).
    """

    cache = Histories()

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
