"""The mixed run: Zipf-distributed reads of every article detail while an editor saves.

Production traffic neither repeats one URL nor leaves the content alone. Here
wrk reads the detail of every published article in every language (each by its
slug in that language), a few often and most rarely: the URLs are ranked in a
seeded random order and rank *r* is read with probability proportional to
1/*r*^1.1 (Zipf, s = 1.1; with 3,003 URLs the first gets 16 % of the reads and
the first 100 about 70 %). Meanwhile ``bench.editor`` saves one article a second
through the project's write path. The gunicorn instance has the response cache
on and shares it, through Redis, with its two workers and the editor, as
production does; ``X-Cache`` tells a hit from a miss.

The server and the editor work on a copy of the benchmark database, made for
the run and removed after it, so the edits never change what the other
measurements read.
"""

import itertools
import json
import random
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from bench.config import Config
from bench.load import serving, timed_wrk, verify, wrk
from bench.processes import (
    BENCH,
    PYTHON,
    ROOT,
    Server,
    base_env,
    database_url_for,
    fetch,
    own_ticks,
    process_ticks,
    redis_ticks,
    say,
    worker_memory,
)
from bench.report import summarise

ZIPF_S = 1.1
ZIPF_SEED = 20261130
EDIT_INTERVAL_S = 1.0
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/11"
CACHE_SECONDS = 300


# The reads


def zipf_table(
    paths: list[str], s: float = ZIPF_S, seed: int = ZIPF_SEED
) -> list[tuple[float, str]]:
    """(cumulative probability, path) per path, most read first: rank *r* weighs 1/*r*^``s``.

    The ranks are a seeded shuffle of ``paths``, so popularity follows neither
    the articles' order nor their language; the last probability is exactly 1.
    """
    ranked = list(paths)
    random.Random(seed).shuffle(ranked)
    weights = [1 / rank**s for rank in range(1, len(ranked) + 1)]
    total = sum(weights)
    cumulative = [min(1.0, running / total) for running in itertools.accumulate(weights)]
    cumulative[-1] = 1.0
    return list(zip(cumulative, ranked, strict=True))


def write_table(table: list[tuple[float, str]], path: Path) -> Path:
    """The table as bench/report.lua reads it: ``<cumulative probability> <path>`` per line."""
    path.write_text("".join(f"{share:.12f} {url}\n" for share, url in table), encoding="ascii")
    return path


# The database copy and the cache


@contextmanager
def database_copy(database_url: str | None, log_dir: Path) -> Iterator[str]:
    """The URL of a fresh copy of the benchmark database, removed afterwards.

    SQLite: a file in ``log_dir`` (the backup API, consistent). PostgreSQL:
    ``<name>_mixed``, created from the benchmark database as template (which
    must have no other connection meanwhile).
    """
    if database_url and database_url.startswith(("postgres://", "postgresql://")):
        copy = _copy_postgres(database_url)
        try:
            yield copy
        finally:
            _drop_postgres(copy)
        return
    target = log_dir / "mixed.sqlite3"
    with sqlite3.connect(_sqlite_path(database_url)) as original, sqlite3.connect(target) as copy:
        original.backup(copy)
    try:
        yield f"sqlite:///{target}"
    finally:
        target.unlink(missing_ok=True)


def _sqlite_path(database_url: str | None) -> Path:
    """The SQLite file of ``database_url``, or bench.settings' own when there is none."""
    if not database_url:
        return BENCH / "bench.sqlite3"
    if not database_url.startswith("sqlite:///"):
        raise SystemExit(f"the mixed run copies SQLite or PostgreSQL databases, not {database_url}")
    return Path(database_url.removeprefix("sqlite:///"))


def _copy_postgres(database_url: str, attempts: int = 20) -> str:
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    copy = f"{name}_mixed"
    _drop_postgres(database_url_for(database_url, copy))  # left by an interrupted run
    with psycopg.connect(database_url_for(database_url, "postgres"), autocommit=True) as connection:
        for attempt in range(attempts):
            try:
                connection.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
                break
            except psycopg.errors.ObjectInUse:  # a backend of an earlier step still closing
                if attempt == attempts - 1:
                    raise
                time.sleep(0.5)
    return database_url_for(database_url, copy)


def _drop_postgres(database_url: str) -> None:
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(database_url_for(database_url, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def check_redis(url: str) -> None:
    """Fail at once, before any measurement, if the mixed run's Redis is unreachable."""
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=5).ping()
    except redis.RedisError as error:
        raise SystemExit(
            f"the mixed run needs Redis at {url} ({error}); set --mixed-redis-url "
            "(BENCH_MIXED_REDIS_URL) or leave the run out with --skip-mixed"
        ) from error


def flush_redis(url: str) -> None:
    """Empty the mixed run's Redis database: the run starts with no cached response."""
    import redis

    redis.Redis.from_url(url).flushdb()


# The editor


def start_editor(env: dict[str, str], log_dir: Path) -> subprocess.Popen:
    """``bench.editor`` running, set up and about to make its first edit."""
    process = subprocess.Popen(
        [PYTHON, "-m", "bench.editor", "--interval", str(EDIT_INTERVAL_S)],
        cwd=ROOT,
        env={**env, "LOG_LEVEL": "WARNING"},
        stdout=subprocess.PIPE,
        stderr=(log_dir / "editor.log").open("wb"),
        text=True,
    )
    if process.stdout.readline().strip() != "ready":
        process.kill()
        raise SystemExit(f"bench.editor did not start; see {log_dir / 'editor.log'}")
    return process


def stop_editor(process: subprocess.Popen) -> dict:
    """Stop the editor (it finishes the edit under way) and read its summary."""
    process.terminate()
    out, _err = process.communicate(timeout=60)
    for line in out.splitlines():
        if line.startswith("EDITOR_JSON "):
            return json.loads(line.removeprefix("EDITOR_JSON "))
    raise SystemExit(f"bench.editor gave no summary (exit code {process.returncode})")


# The run


def run_mixed(
    database_url: str | None, detail_paths: list[str], cfg: Config, log_dir: Path
) -> tuple[dict, dict]:
    """Zipf reads for ``cfg.mixed_duration`` seconds while the editor saves: the figures, and
    the gunicorn workers' memory.

    Order: copy the database, flush Redis, start gunicorn, check the three most
    read URLs, read every URL once (a primed cache), warm up for ``cfg.warmup``
    seconds with the same reads and no edits, then measure with the editor running.
    """
    table = zipf_table(detail_paths)
    paths_file = write_table(table, log_dir / "mixed-paths.txt")
    with database_copy(database_url, log_dir) as url:
        flush_redis(cfg.mixed_redis_url)
        result, edits, memory = read_while_editing(url, table, paths_file, cfg, log_dir)
    summary = summarise([result])
    hits, misses = (summary["x_cache"].get(key, 0) for key in ("hit", "miss"))
    say(
        f"mixed: {summary['rps']:.1f} req/s, p50 {summary['p50_ms']:.1f} ms, "
        f"hits {hits}, misses {misses}, edits {edits['edits']}, errors {summary['errors']}"
    )
    figures = {
        "duration_s": cfg.mixed_duration,
        "warmup_s": cfg.warmup,
        "urls": len(table),
        "zipf_s": ZIPF_S,
        "top_url_share_pct": round(100 * table[0][0], 1),
        "top_100_share_pct": round(100 * table[min(99, len(table) - 1)][0], 1),
        "redis_url": cfg.mixed_redis_url,
        "hit_ratio_pct": round(100 * hits / (hits + misses), 1) if hits + misses else None,
        "editor": edits,
        **summary,
    }
    return figures, memory


def read_while_editing(
    url: str, table: list[tuple[float, str]], paths_file: Path, cfg: Config, log_dir: Path
) -> tuple[dict, dict, dict]:
    """gunicorn on the database ``url`` with the cache on, read by wrk while the editor saves:
    wrk's result, the editor's summary, the workers' memory."""
    env = {
        **base_env(url),
        "WEB_CONCURRENCY": str(cfg.workers),
        "API_RESPONSE_CACHE_SECONDS": str(CACHE_SECONDS),
        "REDIS_URL": cfg.mixed_redis_url,
    }
    server = Server("mixed", env, log_dir)
    with serving({"mixed": server}, cfg.workers):
        most_read = {f"rank {rank}": path for rank, (_share, path) in enumerate(table[:3], 1)}
        verify(server, most_read, {name: {} for name in most_read})
        say(f"mixed: priming the cache with each of the {len(table)} URLs once")
        prime(server, [path for _share, path in table])
        say(f"mixed: warm-up {cfg.warmup} s, {len(table)} URLs, Zipf s = {ZIPF_S}")
        wrk(server.url("/"), cfg, cfg.warmup, paths_file)
        editor = start_editor(env, log_dir)
        try:
            ticks = _own_ticks(server, editor, cfg.mixed_redis_url)
            result = timed_wrk(server.url("/"), cfg, cfg.mixed_duration, ticks, paths_file)
        finally:
            edits = stop_editor(editor)
        memory = worker_memory(server)
    return result, edits, memory


def prime(server: Server, paths: list[str]) -> None:
    """Read every URL once (8 at a time), so that the run measures a cache in its steady
    state: the long Zipf tail would otherwise be first reads, misses whatever the edits do."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda path: fetch(server.url(path))[0], paths))
    failed = [path for path, status in zip(paths, statuses, strict=True) if status != 200]
    if failed:
        raise SystemExit(f"mixed: {len(failed)} URLs did not answer 200, e.g. {failed[0]}")


def _own_ticks(server: Server, editor: subprocess.Popen, redis_url: str) -> Callable[[], int]:
    """The benchmark's CPU during the mixed run: gunicorn, the editor and Redis too."""

    def ticks() -> int:
        servers = {"mixed": server}
        return own_ticks(servers) + process_ticks(editor.pid) + redis_ticks(redis_url)

    return ticks
