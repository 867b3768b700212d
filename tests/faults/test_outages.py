"""Live outages: Redis and PostgreSQL stopped, blackholed and restarted around real requests.

A real gunicorn (production settings, ``gunicorn.conf.py``, sync workers) on a
PostgreSQL cluster and a Redis server of the module's own (tests/faults/conftest.py);
Redis is reached through a TCP proxy the tests control. docs/operations.md
("Faults") says what the service does in each case; the same faults in-process:
tests/api/test_degradation.py. ``python -m bench.faults.drill`` runs them under load.
"""

import time
import uuid
from collections import Counter

import pytest

from bench.faults.editor import EditorProcess, edit_once, title_number
from bench.faults.load import STALE_WARNING, Load, Sample, outdated
from tests.faults.conftest import RETRY_AFTER_SECONDS, skip_reason, until

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(skip_reason() is not None, reason=str(skip_reason())),
    pytest.mark.usefixtures("healthy"),
]

#: Long enough for gunicorn to kill a worker that hangs on a blackholed Redis (timeout 5 s).
BLACKHOLE_LOAD_SECONDS = 8


def title_of(reply) -> int:
    return title_number(reply.json()["title"])


def unavailable_error(sample: Sample) -> bool:
    """503, ``Retry-After`` and the API's JSON error saying the same wait."""
    return (
        sample.status == 503
        and sample.retry_after == str(RETRY_AFTER_SECONDS)
        and sample.code == "unavailable"
        and sample.retry_after_detail == RETRY_AFTER_SECONDS
    )


def served_as_promised(sample: Sample) -> bool:
    """During a database outage: a fresh 200, a stale 200 (``Warning``) or a 503 saying when."""
    if sample.kind == "unavailable":
        return unavailable_error(sample)
    return sample.kind in ("fresh", "stale")


# Redis


def test_with_redis_stopped_every_public_endpoint_is_served_and_readyz_says_degraded(
    stack, endpoints, fetch
):
    stack.redis.stop()

    replies = {path: fetch(path) for path in endpoints.public}

    assert {path: r.status for path, r in replies.items() if r.status != 200} == {}
    assert {
        path: replies[path].headers.get("x-cache")
        for path in endpoints.cacheable
        if replies[path].headers.get("x-cache") != "miss"
    } == {}
    assert fetch("/healthz").status == 200
    ready = fetch("/readyz")
    assert ready.status == 200
    assert ready.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "unavailable"},
    }


def test_with_redis_blackholed_every_request_is_answered_before_the_gunicorn_timeout(
    stack, endpoints, fetch
):
    workers = stack.server.workers()
    timeouts = stack.worker_timeouts()
    stack.proxy.blackhole()

    with Load(stack.port, endpoints.public, threads=4) as load:
        time.sleep(BLACKHOLE_LOAD_SECONDS)
        ready = fetch("/readyz")

    samples = load.samples
    assert samples
    assert [(s.path, s.status, s.error) for s in samples if s.status != 200] == []
    cacheable = set(endpoints.cacheable)
    assert {s.x_cache for s in samples if s.path in cacheable} == {"miss"}  # Redis never answered
    assert stack.worker_timeouts() == timeouts
    assert stack.server.workers() == workers
    assert (ready.status, ready.json()["status"]) == (200, "degraded")


def test_redis_back_with_its_old_entries_serves_the_edit_committed_while_it_was_unreachable(
    stack, endpoints, fetch, cached
):
    before = title_of(cached(endpoints.tracked))
    stack.proxy.refuse()  # unreachable; the server keeps the entry of the old title
    number = edit_once(stack.env, endpoints.tracked_slug)  # its invalidation cannot reach Redis
    during = fetch(endpoints.tracked)
    assert stack.redis.keys() > 0
    # The promise is bounded: a process that looked for changes just before the edit may serve
    # its hit until it next looks, API_FRESHNESS_SECONDS later (docs/architecture.md). Redis
    # stays unreachable past that bound, as it would in any real outage.
    time.sleep(stack.freshness_seconds + 0.2)

    stack.proxy.forward()
    replies = []
    until(lambda: replies.append(r := fetch(endpoints.tracked)) or r.headers["x-cache"] == "hit")

    assert number > before
    assert (during.status, during.headers["x-cache"], title_of(during)) == (200, "miss", number)
    assert replies[-1].headers["x-cache"] == "hit"
    assert [title_of(r) for r in replies] == [number] * len(replies)


def test_after_redis_restarts_responses_are_cached_again_without_restarting_gunicorn(
    stack, endpoints, fetch, cached
):
    workers = stack.server.workers()
    cached(endpoints.tracked)
    stack.redis.stop()
    number = edit_once(stack.env, endpoints.tracked_slug)
    during = fetch(endpoints.tracked)

    stack.redis.start()
    after = {path: cached(path) for path in endpoints.cacheable}

    assert (during.status, title_of(during)) == (200, number)
    assert {path: r.headers["x-cache"] for path, r in after.items()} == dict.fromkeys(after, "hit")
    assert title_of(after[endpoints.tracked]) == number
    assert stack.server.workers() == workers


# PostgreSQL


def test_a_postgres_restart_under_load_answers_fresh_stale_or_503_never_500(
    stack, endpoints, fetch, cached
):
    for path in endpoints.cacheable:
        cached(path)  # so that what the cache holds can be served stale
    workers = stack.server.workers()
    editor = EditorProcess(stack.env, endpoints.tracked_slug, every=0.3).start()
    # Searches nobody made before always reach the database: some are sent during the restart.
    paths = [*endpoints.public, *endpoints.searches]
    load = Load(stack.port, paths, threads=4, tracked=endpoints.tracked)
    restarts = 0
    with load:
        until(lambda: len(load.samples) >= 20)

        def met() -> bool:
            return any(s.kind != "fresh" for s in load.samples)

        # A restart takes a fraction of a second: again (at most 3 times) if no answer met it.
        while restarts < 3 and not met():
            postmaster = stack.postgres.postmaster_pid()
            stack.postgres.restart()
            restarts += 1
            assert stack.postgres.postmaster_pid() not in (None, postmaster)  # a real restart
            seen = len(load.samples)
            until(lambda seen=seen: len(load.samples) >= seen + 40)
        if not met():
            # On a busy machine every answer can miss a fast restart: the last one is slow, the
            # new postmaster started only once an answer met the stopped database.
            stack.postgres.stop()
            until(met, seconds=15)
            stack.postgres.start()
            seen = len(load.samples)
            until(lambda seen=seen: len(load.samples) >= seen + 40)
    editor.stop()

    samples = load.samples
    assert [s for s in samples if s.status == 500] == []
    assert [(s.path, s.error) for s in samples if s.status is None] == []
    assert [s for s in samples if not served_as_promised(s)] == []
    kinds = Counter(s.kind for s in samples)
    assert kinds["unavailable"] + kinds["stale"] > 0, f"no answer met the restarts: {kinds}"
    assert outdated(samples, editor.commits, freshness=1.0) == []
    assert editor.commits

    fresh = {
        path: until(
            lambda p=path: (r := fetch(p)).status == 200 and r.headers.get("x-cache") != "stale"
        )
        for path in endpoints.public
    }
    assert [path for path, ok in fresh.items() if not ok] == []
    assert stack.server.workers() == workers


def test_with_postgres_stopped_a_cached_response_is_served_stale_and_the_rest_is_503(
    stack, endpoints, fetch, cached
):
    kept = cached(endpoints.tracked)
    never_cached = f"/api/v1/articles/?lang=uk&q={uuid.uuid4().hex}"
    stack.postgres.stop()

    # A process asks the database what changed once per API_FRESHNESS_SECONDS: until it next
    # asks, it serves its hits as before (nothing can be committed meanwhile).
    stale = until(lambda: (r := fetch(endpoints.tracked)).headers.get("x-cache") != "hit" and r)
    missing = fetch(never_cached)
    ready = fetch("/readyz")
    # An editor's session is read from the database.
    admin = fetch("/admin/", Cookie=f"sessionid={uuid.uuid4().hex}")

    assert stale.status == 200
    assert stale.headers["x-cache"] == "stale"
    assert stale.headers["warning"] == STALE_WARNING
    assert stale.body == kept.body
    assert missing.status == 503
    assert missing.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    error = missing.json()["error"]
    assert error["code"] == "unavailable"
    assert error["message"]
    assert error["details"] == {"retry_after": RETRY_AFTER_SECONDS}
    assert ready.status == 503
    assert ready.json()["status"] == "unavailable"
    assert ready.json()["checks"]["database"] == "unavailable"
    assert fetch("/healthz").status == 200
    assert (admin.status, admin.headers.get("retry-after")) == (503, str(RETRY_AFTER_SECONDS))


def test_with_postgres_stopped_the_schema_and_the_api_docs_keep_serving(stack, fetch):
    stack.postgres.stop()

    assert {path: fetch(path).status for path in ("/api/schema/?lang=ar", "/api/docs/")} == {
        "/api/schema/?lang=ar": 200,
        "/api/docs/": 200,
    }


def test_with_postgres_stopped_the_catalog_keeps_serving_what_is_not_cached(stack, fetch):
    stack.postgres.stop()

    reply = fetch(f"/api/v1/i18n/catalog/?lang=uk&v={uuid.uuid4().hex}")  # a key never cached

    assert reply.status == 200
