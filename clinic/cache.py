"""Django's Redis cache, made an optimisation that cannot take the service down.

**Unavailable is a miss.** The cache holds nothing that is not also in the
database (cached responses, list totals, throttling counts), so while Redis is
down, slow or refusing writes, every operation answers as if the key were not
there (``get`` gives the default, ``set`` keeps nothing) and the request goes on
to the database. The first failure of an outage logs a warning; the process then
leaves Redis alone for ``CACHE_RETRY_SECONDS`` (so a blackholed server costs one
timeout per process and interval, not one per operation) and tries again after
it, with no restart. ``available`` says whether the last attempt worked:
:func:`clinic.api.throttling` counts per process meanwhile and ``/readyz`` says
"degraded".

Redis answers within ``CACHE_TIMEOUT_SECONDS`` (connect and read timeouts, set in
``settings.CACHES``) or counts as down; a connection Redis closed (a restart) is
retried once at once, so a restarted Redis costs no failure.

**One client per pool.** Django's client makes a new ``redis.Redis`` object for
every cache operation, and each builds its table of response callbacks (about 80
entries): a quarter of a millisecond per operation, three times per cached API
response. A client is safe to share between threads (it takes a connection from
its pool per command), so one per pool is kept.
"""

import functools
import logging
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger(__name__)


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **options) -> None:
        # A connection Redis closed (it restarted) is retried once, at once; a timeout is not.
        options.setdefault("retry", Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)))
        super().__init__(*args, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


def _tolerant(default):
    """Run the operation unless Redis is known down; a Redis error makes it ``default``."""

    def decorate(method):
        @functools.wraps(method)
        def operation(self, *args, **kwargs):
            if not self.available and time.monotonic() < self._retry_at:
                return default(args, kwargs) if callable(default) else default
            try:
                result = method(self, *args, **kwargs)
            except (RedisError, OSError) as exc:
                self._failed(exc)
                return default(args, kwargs) if callable(default) else default
            if not self.available:
                self.available = True
                logger.warning("The cache (Redis) is available again.")
            return result

        return operation

    return decorate


def _get_default(args, kwargs):
    """``get(key, default=None, version=None)``'s default."""
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
        #: Whether the last operation reached Redis.
        self.available = True
        self._retry_at = 0.0

    def _failed(self, exc: Exception) -> None:
        self._retry_at = time.monotonic() + settings.CACHE_RETRY_SECONDS
        if self.available:
            self.available = False
            logger.warning(
                "The cache (Redis) is unavailable (%s): serving from the database without it, "
                "trying again every %s s.",
                exc,
                settings.CACHE_RETRY_SECONDS,
            )

    get = _tolerant(_get_default)(DjangoRedisCache.get)
    get_many = _tolerant({})(DjangoRedisCache.get_many)
    has_key = _tolerant(False)(DjangoRedisCache.has_key)
    add = _tolerant(False)(DjangoRedisCache.add)
    set = _tolerant(None)(DjangoRedisCache.set)
    set_many = _tolerant(lambda args, kwargs: list(args[0]))(DjangoRedisCache.set_many)
    touch = _tolerant(False)(DjangoRedisCache.touch)
    delete = _tolerant(False)(DjangoRedisCache.delete)
    delete_many = _tolerant(None)(DjangoRedisCache.delete_many)
    clear = _tolerant(False)(DjangoRedisCache.clear)


def cache_available(cache) -> bool:
    """Whether ``cache`` worked last time (caches that cannot fail always do)."""
    return getattr(cache, "available", True)
