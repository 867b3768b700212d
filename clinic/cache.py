"""Django's Redis cache, keeping one Redis client per connection pool.

Django's client makes a new ``redis.Redis`` object for every cache operation,
and each builds its table of response callbacks (about 80 entries): a quarter
of a millisecond per operation, three times per cached API response (the
throttle's read and write, the response itself). A client is safe to share
between threads (it takes a connection from its pool per command), so one per
pool is kept.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
