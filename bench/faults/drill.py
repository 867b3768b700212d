"""The fault drill: a steady load while Redis stops, PostgreSQL restarts and a worker dies.

    python -m bench.faults.drill [--json]        # make drill

Starts the live stack of :mod:`bench.faults.stack` (gunicorn in production
settings and their defaults, ``CACHE_RETRY_SECONDS``, ``GUNICORN_TIMEOUT``... as
the environment sets them; a PostgreSQL cluster and a Redis server of its own,
never the machine's), a load of ``--threads`` clients over every public endpoint
in every language, an editor committing a numbered title to the demo article
every ``--edit-every`` seconds through the write path, and a probe asking
``/readyz`` every second. Then, one after the other:

1. ``steady``: nothing happens (``--steady`` s);
2. ``redis stopped``: Redis stopped for ``--redis-down`` s;
3. ``redis back``: Redis started again (``--settle`` s);
4. ``postgres restart``: ``pg_ctl restart -m fast``, then ``--settle`` s;
5. ``worker killed``: one gunicorn worker SIGKILLed, then ``--settle`` s.

Per phase: requests, responses by status, connection errors (apart), p99,
``X-Cache`` values, responses by kind (fresh, stale, 503 ``unavailable``), what
``/readyz`` said, and how many fresh responses of the tracked article showed a
title older than the last edit committed more than ``API_FRESHNESS_SECONDS``
before the request started (must be 0). Exits 1 when a check fails: a 500, a
5xx while only Redis was down, a response during the database restart that is
neither fresh, stale nor a 503 with ``Retry-After``, or an outdated response.
"""

import argparse
import json
import os
import shutil
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.faults.editor import EditorProcess
from bench.faults.load import Load, discover, get, summarise
from bench.faults.stack import Stack
from bench.processes import say


@dataclass
class Phase:
    name: str
    started: float
    ended: float = 0.0
    readyz: Counter = field(default_factory=Counter)

    def holds(self, at: float) -> bool:
        return self.started <= at < self.ended


class ReadyProbe:
    """``/readyz`` once a second, in its own thread: (time, status of the body or error)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.answers: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=35)

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            at = time.time()
            try:
                answer = get(self.port, "/readyz", timeout=30).json()["status"]
            except (OSError, ValueError, KeyError) as error:
                answer = type(error).__name__
            self.answers.append((at, answer))


def weighted(paths: tuple[str, ...], tracked: str, every: int = 3) -> list[str]:
    """``paths`` with the ``tracked`` detail again after every ``every``: about a quarter of
    the requests show the edited title, so freshness is judged on many responses."""
    mixed: list[str] = []
    for index, path in enumerate(paths, start=1):
        mixed.append(path)
        if index % every == 0:
            mixed.append(tracked)
    return mixed


def run(args: argparse.Namespace) -> dict:
    freshness = float(os.environ.get("API_FRESHNESS_SECONDS", "1"))
    phases: list[Phase] = []

    def phase(name: str, seconds: float, action=None) -> None:
        current = Phase(name, time.time())
        phases.append(current)
        say(f"phase {name}")
        if action is not None:
            action()
        time.sleep(seconds)
        current.ended = time.time()

    with Stack(workers=args.workers) as stack:
        endpoints = discover(stack.port)
        # Searches nobody made before reach the database every time, as real searches do.
        paths = weighted((*endpoints.public, *endpoints.searches), endpoints.tracked)
        for path in endpoints.public:  # every response cached once, as after any warm-up
            get(stack.port, path)
        editor = EditorProcess(stack.env, endpoints.tracked_slug, every=args.edit_every).start()
        probe = ReadyProbe(stack.port)
        load = Load(stack.port, paths, threads=args.threads, tracked=endpoints.tracked)
        killed: list[int] = []
        load.start()
        probe.start()
        try:
            phase("steady", args.steady)
            phase("redis stopped", args.redis_down, stack.redis.stop)
            phase("redis back", args.settle, stack.redis.start)
            phase("postgres restart", args.settle, stack.postgres.restart)
            phase("worker killed", args.settle, lambda: killed.append(stack.server.kill_worker()))
        finally:
            samples = load.stop()
            probe.stop()
            editor.stop()
        server = {
            "worker_killed": killed[0] if killed else None,
            "workers_after": len(stack.server.workers()),
            "worker_timeouts": stack.worker_timeouts(),
        }
        logs = stack.log_dir

    for current in phases:
        current.readyz.update(answer for at, answer in probe.answers if current.holds(at))
    result = report(args, phases, samples, editor, freshness, paths, server)
    if result["passed"]:
        shutil.rmtree(logs, ignore_errors=True)
    else:
        say(f"a check failed: gunicorn's and Redis's logs are kept in {logs}")
    return result


def report(args, phases, samples, editor, freshness, paths, server: dict) -> dict:
    """The figures per phase and in all, the checks, and ``server``'s facts."""
    results = []
    for current in phases:
        # By when the answer came: a request sent just before a fault and answered during it
        # counts with the fault.
        chosen = [sample for sample in samples if current.holds(sample.ended)]
        results.append(
            {
                "phase": current.name,
                "seconds": round(current.ended - current.started, 1),
                **summarise(chosen, editor.commits, freshness).as_dict(),
                "readyz": dict(current.readyz),
            }
        )
    total = summarise(samples, editor.commits, freshness).as_dict()
    by_name = {result["phase"]: result for result in results}

    def statuses_at_least(result: dict, floor: int) -> int:
        return sum(count for status, count in result["statuses"].items() if int(status) >= floor)

    checks = {
        "no 500": total["statuses"].get("500", 0) == 0,
        "no 5xx while Redis is down or back": all(
            statuses_at_least(by_name[name], 500) == 0 for name in ("redis stopped", "redis back")
        ),
        "every answer fresh, stale or 503 with Retry-After": total["kinds"].get("other", 0) == 0,
        "no response older than the last commit": total["outdated"] == 0,
    }
    return {
        "settings": {
            "threads": args.threads,
            "workers": args.workers,
            "paths": len(set(paths)),
            "api_freshness_seconds": freshness,
            "edit_every_s": args.edit_every,
        },
        "phases": results,
        "total": total,
        "editor": {"commits": len(editor.commits), "failed": len(editor.failures)},
        **server,
        "checks": checks,
        "passed": all(checks.values()),
    }


def _counts(counts: dict) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items()) or "–"


def markdown(result: dict) -> str:
    settings = result["settings"]
    lines = [
        f"Fault drill: {settings['threads']} clients over {settings['paths']} public paths "
        f"(every endpoint, en/ar/uk, and a new search per language each time; the edited "
        f"article's detail a quarter of the requests), "
        f"{settings['workers']} gunicorn workers, an edit every {settings['edit_every_s']} s. "
        f"Outdated: fresh responses of that detail older than the last edit committed more "
        f"than API_FRESHNESS_SECONDS ({settings['api_freshness_seconds']} s) before the request.",
        "",
        "| phase | s | requests | by status | connection errors | p99 ms | X-Cache "
        "| kinds | /readyz | outdated |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in [
        *result["phases"],
        {**result["total"], "phase": "all", "seconds": "", "readyz": {}},
    ]:
        lines.append(
            f"| {row['phase']} | {row['seconds']} | {row['requests']} | {_counts(row['statuses'])} "
            f"| {_counts(row['connection_errors'])} | {row['p99_ms']} | {_counts(row['x_cache'])} "
            f"| {_counts(row['kinds'])} | {_counts(row['readyz'])} | {row['outdated']} "
            f"of {row['judged']} |"
        )
    lines += [
        "",
        f"Editor: {result['editor']['commits']} commits, {result['editor']['failed']} failed. "
        f"Worker killed: {result['worker_killed']}; workers after: {result['workers_after']}; "
        f"gunicorn timeouts: {result['worker_timeouts']}.",
        "",
        *(f"- {'ok  ' if ok else 'FAIL'} {name}" for name, ok in result["checks"].items()),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--threads", type=int, default=4, help="load clients (4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--steady", type=float, default=10, help="seconds without faults (10)")
    parser.add_argument("--redis-down", type=float, default=10, help="seconds Redis is down (10)")
    parser.add_argument("--settle", type=float, default=5, help="seconds after each fault (5)")
    parser.add_argument("--edit-every", type=float, default=0.5, help="seconds between edits")
    args = parser.parse_args(argv)
    result = run(args)
    text = json.dumps(result, indent=2) if args.json else markdown(result)
    sys.stdout.write(text + "\n")
    sys.exit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
