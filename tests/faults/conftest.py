"""One live stack for the module: gunicorn in production settings on a PostgreSQL cluster and a
Redis server of its own (bench.faults), which the tests stop, block and restart.

A test that uses :func:`healthy` starts from a healthy stack, whatever the one
before it did, so they pass in any order. Nothing here is autouse: the other
modules of tests/faults/ set up their own processes.
"""

import os
import time
from collections.abc import Callable

import pytest

from bench.faults import services
from bench.faults.load import Endpoints, Reply, discover, get
from bench.faults.stack import Stack

#: gunicorn kills a worker silent for this long: a blackholed Redis must never get there.
GUNICORN_TIMEOUT = 5
#: After a cache failure a process leaves Redis alone this long (production: 5).
CACHE_RETRY_SECONDS = 1
RETRY_AFTER_SECONDS = 2


def skip_reason() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return (
            "the live fault tests need PostgreSQL (DATABASE_URL=postgres://...): they run a "
            "cluster of their own and restart it"
        )
    return services.missing()


def until(check: Callable[[], object], *, seconds: float = 30.0, every: float = 0.1):
    """``check()``'s first true value, trying for at most ``seconds`` (then its last value)."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


@pytest.fixture(scope="module")
def stack():
    live = Stack(
        env={
            "GUNICORN_TIMEOUT": str(GUNICORN_TIMEOUT),
            "CACHE_RETRY_SECONDS": str(CACHE_RETRY_SECONDS),
            "API_RETRY_AFTER_SECONDS": str(RETRY_AFTER_SECONDS),
            "DATABASE_CONNECT_TIMEOUT": "2",
        }
    ).start()
    yield live
    live.stop()
    live.remove_logs()


@pytest.fixture(scope="module")
def endpoints(stack) -> Endpoints:
    return discover(stack.port)


@pytest.fixture
def healthy(stack):
    """Redis running and reachable, PostgreSQL running, ``/readyz`` ok on the workers."""
    stack.proxy.forward()
    stack.redis.start()
    if not stack.postgres.running:
        stack.postgres.start()

    def ready() -> bool:
        reply = get(stack.port, "/readyz")
        return reply.status == 200 and reply.json()["status"] == "ok"

    # Each worker checks for itself: a few answers in a row, not one.
    assert until(lambda: all(ready() for _ in range(4))), stack.server.log_text()[-3000:]


@pytest.fixture
def fetch(stack) -> Callable[..., Reply]:
    return lambda path, **headers: get(stack.port, path, headers=headers)


@pytest.fixture
def cached(fetch) -> Callable[[str], Reply]:
    """Request ``path`` until the cache serves it (``X-Cache: hit``); that reply."""

    def hit(path: str) -> Reply:
        reply = until(lambda: (r := fetch(path)).headers.get("x-cache") == "hit" and r)
        assert reply, f"{path} was never served from the cache"
        return reply

    return hit
