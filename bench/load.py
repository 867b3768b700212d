"""The load driver: wrk against the servers in interleaved rounds, its results read back.

``bench/report.lua`` makes wrk print one ``BENCH_JSON`` line (status codes,
``X-Cache`` values, latency percentiles, body sizes); every measurement also
records the CPU that other processes used meanwhile.
"""

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.config import Config
from bench.processes import (
    BENCH,
    HEADERS,
    TICK,
    Server,
    busy_ticks,
    fetch,
    own_ticks,
    say,
    worker_memory,
)


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    say("wrk is missing: apt-get install -y wrk")
    install = ["apt-get", "install", "-y", "wrk"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, check=True)
        subprocess.run(install, env=env, check=True)


def wrk(url: str, cfg: Config, seconds: int, paths_file: Path | None = None) -> dict:
    """One wrk run on ``url``, or on paths drawn from ``paths_file`` (see bench/report.lua)."""
    command = [
        "wrk",
        f"-t{cfg.threads}",
        f"-c{cfg.connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(BENCH / "report.lua"),
        *(arg for name, value in HEADERS.items() for arg in ("-H", f"{name}: {value}")),
        url,
        *([str(paths_file)] if paths_file else []),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 90, check=False
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise SystemExit(f"wrk gave no result for {url}:\n{result.stdout}\n{result.stderr}")


def timed_wrk(
    url: str,
    cfg: Config,
    seconds: int,
    own_ticks: Callable[[], int],
    paths_file: Path | None = None,
) -> dict:
    """wrk's result, with the CPU cores that processes other than ``own_ticks``'s kept busy."""
    started = time.monotonic(), busy_ticks(), own_ticks()
    result = wrk(url, cfg, seconds, paths_file)
    ended = time.monotonic(), busy_ticks(), own_ticks()
    others = (ended[1] - started[1]) - (ended[2] - started[2])
    result["other_cpu_cores"] = round(max(0, others) / TICK / (ended[0] - started[0]), 2)
    return result


def verify(server: Server, paths: dict[str, str], expected: dict[str, dict]) -> None:
    """Every URL answers 200 through gunicorn, with the size measured in-process (if given)."""
    for name, path in paths.items():
        status, body, _content_type = fetch(server.url(path))
        if status != 200:
            raise SystemExit(f"{server.name} {name}: HTTP {status} for {path}: {body[:300]!r}")
        if expected[name].get("bytes") not in (None, len(body)):
            size = expected[name]["bytes"]
            say(f"note: {server.name} {name} is {len(body)} bytes, {size} in-process")


@contextmanager
def serving(servers: dict[str, Server], workers: int) -> Iterator[dict[str, Server]]:
    """The servers started, in order; all stopped whatever happens (no gunicorn left behind)."""
    try:
        for server in servers.values():
            server.start(workers)
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def measure(
    plan: list[tuple[str, str]],
    servers: dict[str, Server],
    paths: dict[str, dict[str, str]],
    facts: dict[str, dict[str, dict]],
    cfg: Config,
) -> tuple[dict[tuple[str, str], list[dict]], dict[str, dict]]:
    """Check every URL through the (started) servers, run the rounds, sample worker memory."""
    for key, server in servers.items():
        verify(server, paths[key], facts[key])
    runs = measure_rounds(plan, servers, paths, cfg)
    memory = {key: worker_memory(server) for key, server in servers.items()}
    return runs, memory


def measure_rounds(
    plan: list[tuple[str, str]],
    servers: dict[str, Server],
    paths: dict[str, dict[str, str]],
    cfg: Config,
) -> dict[tuple[str, str], list[dict]]:
    """Warm-up, then ``cfg.rounds`` rounds over ``plan`` ((endpoint, server) pairs), rotated."""
    say(f"warm-up: {cfg.warmup} s per measurement")
    for endpoint, key in plan:
        wrk(servers[key].url(paths[key][endpoint]), cfg, cfg.warmup)
    runs: dict[tuple[str, str], list[dict]] = {item: [] for item in plan}
    total = len(plan) * cfg.rounds
    done = 0
    for number in range(cfg.rounds):
        shift = number % len(plan)
        for endpoint, key in plan[shift:] + plan[:shift]:
            url = servers[key].url(paths[key][endpoint])
            result = timed_wrk(url, cfg, cfg.duration, lambda: own_ticks(servers))
            result["round"] = number + 1
            runs[(endpoint, key)].append(result)
            servers[key].sample()
            done += 1
            say(
                f"[{done}/{total}] round {number + 1} {endpoint:8} {key:6} "
                f"{result['rps']:8.1f} req/s  p50 {result['latency_us']['p50'] / 1000:7.1f} ms  "
                f"errors {result['errors']}  other load {result['other_cpu_cores']}"
            )
    return runs
