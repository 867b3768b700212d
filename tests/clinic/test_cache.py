"""The Redis cache keeps one client per connection pool (Django's makes one per operation)."""

import os

import pytest

from clinic.cache import RedisCache


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (CI sets REDIS_URL)")
def test_one_redis_client_serves_every_operation():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-cache"})
    cache.set("key", {"value": "قيمة"}, timeout=5)
    assert cache.get("key") == {"value": "قيمة"}
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    cache.delete("key")
