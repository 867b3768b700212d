"""API benchmark: wrk against gunicorn in production settings (see bench/README.md).

    .venv/bin/python -m bench.run            # N=1000 articles; SQLite unless DATABASE_URL is set
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.run --scale

Default mode: generates the data if needed (bench.generate), measures SQL queries
and response sizes in-process (bench.probe), starts two gunicorn instances with the
repository's gunicorn.conf.py (server-side response cache off and on), and runs
wrk on each endpoint and on the bare limit view, in interleaved rounds. Scale mode:
the same endpoints, uncached, at 1,000 and 100,000 articles on PostgreSQL, and
the timing of the PO export and import on 10,000 articles.

Prints Markdown tables and writes bench/results/<timestamp>.json (and .md).
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")

ENDPOINTS = ("list", "detail", "contacts", "search", "topic")
LABELS = {
    "list": "Arabic list of 20",
    "detail": "Arabic detail",
    "contacts": "contacts (ar)",
    "search": "search (ar)",
    "topic": "topic-filtered list (ar)",
    "limit": "limit (bare view)",
}
HEADERS = {"X-Forwarded-Proto": "https"}
THROTTLE_RATE = "100000000/second"
CACHE_ON_SECONDS = 300
MB = 1024 * 1024
# One random key for every process of a run (generate, probe, gunicorn).
SECRET_KEY = secrets.token_urlsafe(50)

# Targets of the issue (a 2-core machine).
SHARE_TARGETS = {
    ("detail", "off"): 15,
    ("list", "off"): 10,
    ("detail", "on"): 50,
    ("list", "on"): 50,
}
RATIO_TARGETS = {"list": 1.5, "detail": 1.5, "topic": 1.5, "search": 2.0}
EXPORT_TARGET_S, IMPORT_TARGET_S = 10.0, 30.0
RSS_TARGET_MB = 150


def say(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


@dataclass
class Config:
    n: int
    threads: int
    connections: int
    duration: int
    warmup: int
    rounds: int
    workers: int
    small: int
    large: int
    exchange: int
    skip_exchange: bool


# Tools and processes


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    say("wrk is missing: apt-get install -y wrk")
    install = ["apt-get", "install", "-y", "wrk"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, check=True)
        subprocess.run(install, env=env, check=True)


def base_env(database_url: str | None) -> dict[str, str]:
    """Production settings (DEBUG unset) with the benchmark's URLs and database."""
    env = {
        key: value for key, value in os.environ.items() if key not in ("DEBUG", "STATIC_MANIFEST")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        API_THROTTLE_RATE=THROTTLE_RATE,
        PYTHONPATH=str(ROOT),
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def generate(database_url: str | None, n: int) -> float | None:
    """Make the database hold ``n`` articles; seconds spent if anything was added."""
    started = time.monotonic()
    result = subprocess.run(
        [PYTHON, "-m", "bench.generate", "--n", str(n)],
        cwd=ROOT,
        env=base_env(database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("[generate]"):
            say(line)
    if result.returncode != 0:
        sys.stderr.write(result.stdout)
        raise SystemExit("bench.generate failed")
    if "nothing to do" in result.stdout:
        return None
    return round(time.monotonic() - started, 1)


def probe(database_url: str | None, port: int) -> dict:
    """bench.probe's facts, as served on ``port`` (absolute URLs in the bodies hold it)."""
    env = {**base_env(database_url), "LOG_LEVEL": "WARNING", "BENCH_HOST": f"127.0.0.1:{port}"}
    result = subprocess.run(
        [PYTHON, "-m", "bench.probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit("bench.probe failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


_PORTS: set[int] = set()


def free_port() -> int:
    """A free local port, different from the ones given before in this run."""
    import socket

    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _PORTS:
            _PORTS.add(port)
            return port


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


TICK = os.sysconf("SC_CLK_TCK")


def busy_ticks() -> int:
    """CPU time spent on the whole machine (every core; idle, I/O wait and steal excluded)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    user, nice, system, _idle, _iowait, irq, softirq = values
    return user + nice + system + irq + softirq


def process_ticks(pid: int, children: bool = False) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    ticks = int(fields[11]) + int(fields[12])
    return ticks + (int(fields[13]) + int(fields[14]) if children else 0)


def own_children_ticks() -> int:
    times = os.times()
    return round((times.children_user + times.children_system) * TICK)


def other_load(seconds: float = 3.0) -> float:
    """Cores kept busy by other processes now (nothing of the benchmark running)."""
    before = busy_ticks()
    time.sleep(seconds)
    return round((busy_ticks() - before) / TICK / seconds, 2)


def rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class Server:
    """One gunicorn (repository's gunicorn.conf.py) on 127.0.0.1 and a free port."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        url = env.get("DATABASE_URL", "")
        # PostgreSQL backends serving this database work for the benchmark too.
        self.database = urlsplit(url).path.lstrip("/") if url.startswith("postgres") else None
        self.port = free_port()
        self.env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        self.log_path = log_dir / f"gunicorn-{name}.log"
        self.process: subprocess.Popen | None = None
        self.first_workers: set[int] = set()
        self.seen_workers: set[int] = set()
        self.peak_rss_kb = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self, workers: int) -> None:
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [GUNICORN, "clinic.wsgi:application", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn {self.name} exited; see {self.log_path}")
            try:
                if fetch(self.url("/healthz"))[0] == 200 and len(self.workers()) >= workers:
                    self.first_workers = set(self.workers())
                    self.seen_workers = set(self.first_workers)
                    workers = sorted(self.first_workers)
                    say(f"gunicorn {self.name}: port {self.port}, workers {workers}")
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn {self.name} did not start; see {self.log_path}")

    def workers(self) -> list[int]:
        if self.process is None:
            return []
        master = self.process.pid
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and _ppid(int(entry.name)) == master:
                pids.append(int(entry.name))
        return sorted(pids)

    def sample(self) -> dict[int, int]:
        """RSS (kB) of every worker now; keeps the peak and the workers seen."""
        sizes = {pid: size for pid in self.workers() if (size := rss_kb(pid)) is not None}
        self.seen_workers |= set(sizes)
        if sizes:
            self.peak_rss_kb = max(self.peak_rss_kb, *sizes.values())
        return sizes

    def cpu_ticks(self) -> int:
        """CPU used by the master, its reaped workers and its live workers."""
        if self.process is None:
            return 0
        master = process_ticks(self.process.pid, children=True)
        return master + sum(process_ticks(pid) for pid in self.workers())

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def fetch(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wrk(url: str, cfg: Config, seconds: int) -> dict:
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
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 90, check=False
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise SystemExit(f"wrk gave no result for {url}:\n{result.stdout}\n{result.stderr}")


def verify(server: Server, paths: dict[str, str], expected: dict[str, dict]) -> None:
    """Every URL answers 200 through gunicorn, with the size measured in-process."""
    for name, path in paths.items():
        status, body = fetch(server.url(path))
        if status != 200:
            raise SystemExit(f"{server.name} {name}: HTTP {status} for {path}: {body[:300]!r}")
        if len(body) != expected[name]["bytes"]:
            size = expected[name]["bytes"]
            say(f"note: {server.name} {name} is {len(body)} bytes, {size} in-process")


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
            started = time.monotonic(), busy_ticks(), own_ticks(servers)
            result = wrk(servers[key].url(paths[key][endpoint]), cfg, cfg.duration)
            ended = time.monotonic(), busy_ticks(), own_ticks(servers)
            others = (ended[1] - started[1]) - (ended[2] - started[2])
            result["other_cpu_cores"] = round(max(0, others) / TICK / (ended[0] - started[0]), 2)
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


def check_quiet() -> float:
    """Cores busy with other work before measuring; warns when the machine is not quiet."""
    load = other_load()
    if load > 0.25:
        say(f"WARNING: other processes keep {load} cores busy; the figures will be low")
    return load


def load_summary(before: float, runs: dict[tuple[str, str], list[dict]]) -> dict:
    during = [run["other_cpu_cores"] for series in runs.values() for run in series]
    return {
        "before_cores": before,
        "during_mean_cores": round(statistics.mean(during), 2) if during else None,
        "during_max_cores": max(during) if during else None,
    }


# Last CPU ticks seen per PostgreSQL backend: a backend that exits (CONN_MAX_AGE) keeps
# its last value, so the CPU it used is not lost from the benchmark's side.
_BACKEND_TICKS: dict[int, int] = {}


def postgres_ticks(databases: set[str]) -> int:
    """CPU of the PostgreSQL backends connected to ``databases`` (live or seen before)."""
    if not databases:
        return 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if command.startswith("postgres:") and any(f" {name} " in command for name in databases):
            pid = int(entry.name)
            _BACKEND_TICKS[pid] = max(_BACKEND_TICKS.get(pid, 0), process_ticks(pid))
    return sum(_BACKEND_TICKS.values())


def own_ticks(servers: dict[str, Server]) -> int:
    """CPU used by the benchmark: gunicorn, its PostgreSQL backends, wrk and this process."""
    me = process_ticks(os.getpid())
    databases = {server.database for server in servers.values() if server.database}
    gunicorn = sum(server.cpu_ticks() for server in servers.values())
    return me + own_children_ticks() + gunicorn + postgres_ticks(databases)


def summarise(runs: list[dict]) -> dict:
    def median(values):
        return statistics.median(values) if values else None

    return {
        "rps": round(median([run["rps"] for run in runs]), 1),
        "p50_ms": round(median([run["latency_us"]["p50"] for run in runs]) / 1000, 2),
        "p99_ms": round(median([run["latency_us"]["p99"] for run in runs]) / 1000, 2),
        "requests": sum(run["requests"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "statuses": _merge([run["statuses"] for run in runs]),
        "body_bytes": max(run["body_bytes"]["max"] for run in runs),
        "other_cpu_cores": median([run["other_cpu_cores"] for run in runs]),
        "rounds": runs,
    }


def _merge(maps: list[dict[str, int]]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for mapping in maps:
        for key, value in mapping.items():
            merged[key] = merged.get(key, 0) + value
    return merged


def worker_memory(server: Server) -> dict:
    sizes = server.sample()
    return {
        "workers_rss_mb": {str(pid): round(kb / 1024, 1) for pid, kb in sizes.items()},
        "max_rss_mb": round(max(sizes.values()) / 1024, 1) if sizes else None,
        "peak_rss_mb": round(server.peak_rss_kb / 1024, 1),
        "worker_restarts": len(server.seen_workers - server.first_workers),
    }


# Facts about the machine


def run_settings(cfg: Config, *, cache: str) -> dict:
    """How the servers were driven, as recorded in every result file."""
    return {
        "workers": cfg.workers,
        "wrk": f"-t{cfg.threads} -c{cfg.connections} -d{cfg.duration}s",
        "warmup_s": cfg.warmup,
        "rounds": cfg.rounds,
        "cache": cache,
        "throttle_rate": THROTTLE_RATE,
    }


def machine(info: dict) -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "python": info["python"],
        "django": info["django"],
        "database": info["database"]["version"],
        "kernel": platform.release(),
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
        .stdout.strip()
        .splitlines()[0],
    }


def met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def save(name: str, data: dict, markdown: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    path.with_suffix(".md").write_text(markdown + "\n", encoding="utf-8")
    return path


# Default mode


def run_default(cfg: Config) -> None:
    database_url = os.environ.get("DATABASE_URL") or None
    stamp = timestamp()
    if database_url and database_url.startswith(("postgres://", "postgresql://")):
        ensure_database(database_url)
    generation = generate(database_url, cfg.n)
    log_dir = Path(tempfile.mkdtemp(prefix=f"bench-{stamp}-"))
    env = {**base_env(database_url), "WEB_CONCURRENCY": str(cfg.workers)}
    servers = {
        "off": Server("cache-off", {**env, "API_RESPONSE_CACHE_SECONDS": "0"}, log_dir),
        "on": Server(
            "cache-on", {**env, "API_RESPONSE_CACHE_SECONDS": str(CACHE_ON_SECONDS)}, log_dir
        ),
    }
    info = probe(database_url, servers["off"].port)
    facts = info["endpoints"]
    limit_bytes = facts["detail"]["bytes"]
    facts["limit"]["bytes"] = limit_bytes  # by construction; verify() checks it through gunicorn
    for server in servers.values():
        server.env["BENCH_LIMIT_BYTES"] = str(limit_bytes)
    paths = {name: fact["path"] for name, fact in facts.items()}
    plan = [(endpoint, key) for endpoint in ENDPOINTS for key in ("off", "on")]
    plan.append(("limit", "off"))
    quiet = check_quiet()
    try:
        for server in servers.values():
            server.start(cfg.workers)
        for server in servers.values():
            verify(server, paths, facts)
        runs = measure_rounds(plan, servers, {"off": paths, "on": paths}, cfg)
        memory = {key: worker_memory(server) for key, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    results = {f"{endpoint}:{key}": summarise(runs[(endpoint, key)]) for endpoint, key in plan}
    limit_rps = results["limit:off"]["rps"]
    rows = []
    for endpoint, key in plan:
        summary = results[f"{endpoint}:{key}"]
        fact = facts[endpoint]
        share = 100 * summary["rps"] / limit_rps if limit_rps else 0.0
        target = SHARE_TARGETS.get((endpoint, key))
        rows.append(
            {
                "endpoint": endpoint,
                "cache": key,
                "share_of_limit_pct": round(share, 1),
                "sql_queries": fact["queries"] if key == "off" else fact["cached_queries"],
                "bytes": summary["body_bytes"],
                "target_pct": target,
                "target_met": None if target is None else share >= target,
                **{name: value for name, value in summary.items() if name != "rounds"},
            }
        )
    peak_rss = max(memory[key]["peak_rss_mb"] for key in memory)
    data = {
        "kind": "default",
        "timestamp": stamp,
        "machine": machine(info),
        "n_articles": cfg.n,
        "database": info["database"],
        "generation_seconds": generation,
        "settings": {
            **run_settings(
                cfg,
                cache="Redis " + os.environ["REDIS_URL"]
                if os.environ.get("REDIS_URL")
                else "local memory (one cache per worker)",
            ),
            "limit_bytes": limit_bytes,
            "other_load": load_summary(quiet, runs),
        },
        "rows": rows,
        "memory": memory,
        "targets": {
            **{
                f"{endpoint} {'cached' if key == 'on' else 'uncached'} ≥ {target} % of limit": next(
                    row["target_met"]
                    for row in rows
                    if row["endpoint"] == endpoint and row["cache"] == key
                )
                for (endpoint, key), target in SHARE_TARGETS.items()
            },
            f"worker RSS ≤ {RSS_TARGET_MB} MB": peak_rss <= RSS_TARGET_MB,
        },
        "probe": facts,
        "results": results,
    }
    markdown = default_markdown(data)
    sys.stdout.write(markdown + "\n")
    path = save(stamp, data, markdown)
    say(f"wrote {path} (gunicorn logs in {log_dir})")


def _header(data: dict) -> list[str]:
    m, s = data["machine"], data["settings"]
    load = s["other_load"]
    noisy = max(load["before_cores"], load["during_mean_cores"] or 0) > 0.25
    return [
        f"- Machine: {m['cpu']}, {m['cores']} cores; kernel {m['kernel']}",
        f"- Python {m['python']}, Django {m['django']}, {m['database']}; {m['wrk']}",
        f"- gunicorn: {s['workers']} sync workers (gunicorn.conf.py), DEBUG off; "
        f"wrk {s['wrk']}, warm-up {s['warmup_s']} s, {s['rounds']} interleaved rounds, "
        "figures are medians over the rounds (errors: totals)",
        f"- Server-side response cache: {s['cache']}; throttle rate {s['throttle_rate']}",
        f"- Other processes on the machine (CPU cores busy): {load['before_cores']} before, "
        f"{load['during_mean_cores']} on average during the measurements "
        f"(max {load['during_max_cores']})"
        + (" — **not quiet: figures are low**" if noisy else ""),
    ]


def default_markdown(data: dict) -> str:
    db = data["database"]
    lines = [
        f"## API benchmark — N = {data['n_articles']} articles, {db['version']} ({db['name']})",
        "",
        *_header(data),
        f"- Limit: bare Django view, constant {data['settings']['limit_bytes']}-byte JSON "
        "(the size of the Arabic detail), same gunicorn and middleware",
        "",
        "| endpoint | server cache | req/s | % of limit | p50 ms | p99 ms | SQL/req | bytes "
        "| errors | target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in data["rows"]:
        target = (
            f"≥ {row['target_pct']} %: {met(row['target_met'])}"
            if row["target_pct"] is not None
            else ""
        )
        cache = "—" if row["endpoint"] == "limit" else row["cache"]
        lines.append(
            f"| {LABELS[row['endpoint']]} | {cache} | {row['rps']:.1f} | "
            f"{row['share_of_limit_pct']:.1f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['sql_queries']} | {row['bytes']} | {row['errors']} | {target} |"
        )
    lines += ["", "Gunicorn worker memory (VmRSS):", ""]
    for key, memory in data["memory"].items():
        workers = ", ".join(f"{mb} MB" for mb in memory["workers_rss_mb"].values())
        lines.append(
            f"- cache {key}: after the run {workers}; peak {memory['peak_rss_mb']} MB; "
            f"workers recycled (max_requests) {memory['worker_restarts']}"
        )
    lines += ["", "| target | result |", "|---|---|"]
    for name, ok in data["targets"].items():
        lines.append(f"| {name} | {met(ok)} |")
    return "\n".join(lines)


# Scale mode


def database_url_for(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(database_url_for(url, "postgres"), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            say(f"CREATE DATABASE {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 and n >= 1000 else str(n)


def run_command(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.monotonic()
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**env, "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{output[-3000:]}")
    return round(seconds, 2), output.splitlines()[-1] if output else ""


EDIT_SUFFIX = " (نص منقح)"


def edit_po(source: Path, target: Path, every: int = 10) -> int:
    """A copy of an exported PO file, the summary of every ``every``-th article edited."""
    import polib

    po = polib.pofile(str(source), wrapwidth=79)
    edited = 0
    for entry in po:
        model, _sep, rest = (entry.msgctxt or "").partition(":")
        pk, _sep, field = rest.partition(":")
        if model != "articles.article" or field != "summary" or int(pk) % every or not entry.msgstr:
            continue
        if entry.msgstr.endswith(EDIT_SUFFIX):
            entry.msgstr = entry.msgstr.removesuffix(EDIT_SUFFIX)
        else:
            entry.msgstr += EDIT_SUFFIX
        edited += 1
    po.save(str(target))
    return edited


def time_exchange(database_url: str) -> dict:
    env = base_env(database_url)
    with tempfile.TemporaryDirectory(prefix="bench-po-") as folder:
        exported = Path(folder) / "ar.po"
        edited = Path(folder) / "ar-edited.po"
        say("export_translations ar")
        export_s, export_out = run_command(["export_translations", "ar", "-o", str(exported)], env)
        entries = sum(
            1 for line in exported.read_text("utf-8").splitlines() if line.startswith("msgctxt")
        )
        say(f"  {export_s} s, {entries} entries; import_translations (unchanged)")
        same_s, same_out = run_command(["import_translations", str(exported), "--lang", "ar"], env)
        edits = edit_po(exported, edited)
        say(f"  {same_s} s; import_translations ({edits} entries edited)")
        edit_s, edit_out = run_command(["import_translations", str(edited), "--lang", "ar"], env)
        say(f"  {edit_s} s")
        size = exported.stat().st_size
    return {
        "export_s": export_s,
        "export_output": export_out,
        "entries": entries,
        "po_bytes": size,
        "import_unchanged_s": same_s,
        "import_unchanged_output": same_out,
        "edited_entries": edits,
        "import_edited_s": edit_s,
        "import_edited_output": edit_out,
    }


def run_scale(cfg: Config) -> None:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "--scale needs DATABASE_URL pointing to PostgreSQL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres"
        )
    stamp = timestamp()
    sizes = {"small": cfg.small, "large": cfg.large}
    urls = {key: database_url_for(base, f"bench_{label(n)}") for key, n in sizes.items()}
    exchange_url = database_url_for(base, f"bench_{label(cfg.exchange)}")
    generation = {}
    for key, n in [*sizes.items(), *([] if cfg.skip_exchange else [("exchange", cfg.exchange)])]:
        url = exchange_url if key == "exchange" else urls[key]
        ensure_database(url)
        say(f"data: {n} articles in {urlsplit(url).path.lstrip('/')}")
        generation[label(n)] = generate(url, n)
    log_dir = Path(tempfile.mkdtemp(prefix=f"bench-{stamp}-"))
    servers, infos, facts = {}, {}, {}
    for key, url in urls.items():
        env = {**base_env(url), "API_RESPONSE_CACHE_SECONDS": "0"}
        env["WEB_CONCURRENCY"] = str(cfg.workers)
        servers[key] = Server(f"{label(sizes[key])}-uncached", env, log_dir)
        infos[key] = probe(url, servers[key].port)
        facts[key] = infos[key]["endpoints"]
        facts[key]["limit"]["bytes"] = facts[key]["detail"]["bytes"]
        servers[key].env["BENCH_LIMIT_BYTES"] = str(facts[key]["detail"]["bytes"])
    paths = {key: {name: fact["path"] for name, fact in facts[key].items()} for key in urls}
    plan = [(endpoint, key) for endpoint in (*ENDPOINTS, "limit") for key in sizes]
    quiet = check_quiet()
    try:
        for key, server in servers.items():
            server.start(cfg.workers)
            verify(server, paths[key], facts[key])
        runs = measure_rounds(plan, servers, paths, cfg)
        memory = {key: worker_memory(server) for key, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    exchange = None if cfg.skip_exchange else time_exchange(exchange_url)
    results = {f"{endpoint}:{key}": summarise(runs[(endpoint, key)]) for endpoint, key in plan}
    rows = []
    for endpoint in (*ENDPOINTS, "limit"):
        small, large = results[f"{endpoint}:small"], results[f"{endpoint}:large"]
        ratio = large["p50_ms"] / small["p50_ms"] if small["p50_ms"] else None
        target = RATIO_TARGETS.get(endpoint)
        rows.append(
            {
                "endpoint": endpoint,
                "small": {k: v for k, v in small.items() if k != "rounds"},
                "large": {k: v for k, v in large.items() if k != "rounds"},
                "sql_queries": {key: facts[key][endpoint]["queries"] for key in sizes},
                "bytes": {key: results[f"{endpoint}:{key}"]["body_bytes"] for key in sizes},
                "matches": {key: facts[key][endpoint].get("count") for key in sizes},
                "p50_ratio": round(ratio, 2) if ratio else None,
                "target_ratio": target,
                "target_met": None if target is None or ratio is None else ratio <= target,
            }
        )
    peak_rss = max(memory[key]["peak_rss_mb"] for key in memory)
    small, large = label(cfg.small), label(cfg.large)
    targets = {
        f"{row['endpoint']} p50 at {large} ≤ {row['target_ratio']}× {small}": row["target_met"]
        for row in rows
        if row["target_ratio"] is not None
    }
    if exchange:
        targets[f"export_translations ar ({label(cfg.exchange)}) ≤ {EXPORT_TARGET_S:.0f} s"] = (
            exchange["export_s"] <= EXPORT_TARGET_S
        )
        targets[
            f"import_translations unchanged ({label(cfg.exchange)}) ≤ {IMPORT_TARGET_S:.0f} s"
        ] = exchange["import_unchanged_s"] <= IMPORT_TARGET_S
        targets[f"import_translations edited ({label(cfg.exchange)}) ≤ {IMPORT_TARGET_S:.0f} s"] = (
            exchange["import_edited_s"] <= IMPORT_TARGET_S
        )
    targets[f"worker RSS ≤ {RSS_TARGET_MB} MB"] = peak_rss <= RSS_TARGET_MB
    data = {
        "kind": "scale",
        "timestamp": stamp,
        "machine": machine(infos["small"]),
        "sizes": {key: n for key, n in sizes.items()} | {"exchange": cfg.exchange},
        "databases": {key: infos[key]["database"] for key in sizes},
        "generation_seconds": generation,
        "settings": {
            **run_settings(cfg, cache="off (API_RESPONSE_CACHE_SECONDS=0)"),
            "other_load": load_summary(quiet, runs),
        },
        "rows": rows,
        "exchange": exchange,
        "memory": memory,
        "targets": targets,
        "probe": facts,
        "results": results,
    }
    markdown = scale_markdown(data)
    sys.stdout.write(markdown + "\n")
    path = save(f"{stamp}-scale", data, markdown)
    say(f"wrote {path} (gunicorn logs in {log_dir})")


def scale_markdown(data: dict) -> str:
    small, large = label(data["sizes"]["small"]), label(data["sizes"]["large"])
    dbs = data["databases"]
    lines = [
        f"## Scale — uncached, {small} vs {large} articles, {dbs['small']['version']}",
        "",
        *_header(data),
        f"- Databases: {dbs['small']['name']} ({dbs['small']['articles']} articles), "
        f"{dbs['large']['name']} ({dbs['large']['articles']} articles)",
        "",
        f"| endpoint | req/s {small} | req/s {large} | p50 ms {small} | p50 ms {large} "
        f"| p99 ms {small} | p99 ms {large} | p50 {large}/{small} | SQL/req | errors | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in data["rows"]:
        s, lg = row["small"], row["large"]
        target = (
            f"≤ {row['target_ratio']}×: {met(row['target_met'])}"
            if row["target_ratio"] is not None
            else ""
        )
        queries = row["sql_queries"]
        lines.append(
            f"| {LABELS[row['endpoint']]} | {s['rps']:.1f} | {lg['rps']:.1f} | {s['p50_ms']:.1f} "
            f"| {lg['p50_ms']:.1f} | {s['p99_ms']:.1f} | {lg['p99_ms']:.1f} | "
            f"{row['p50_ratio']} | {queries['small']} / {queries['large']} | "
            f"{s['errors'] + lg['errors']} | {target} |"
        )
    exchange = data["exchange"]
    if exchange:
        n = label(data["sizes"]["exchange"])
        lines += [
            "",
            f"PO exchange on {n} articles (manage.py as a subprocess, wall seconds):",
            "",
            "| command | seconds | output | target |",
            "|---|---:|---|---|",
            f"| export_translations ar ({exchange['entries']} entries, "
            f"{exchange['po_bytes'] // MB} MB) | {exchange['export_s']} | "
            f"{exchange['export_output']} | ≤ {EXPORT_TARGET_S:.0f} s: "
            f"{met(exchange['export_s'] <= EXPORT_TARGET_S)} |",
            f"| import_translations, unchanged export | {exchange['import_unchanged_s']} | "
            f"{exchange['import_unchanged_output']} | ≤ {IMPORT_TARGET_S:.0f} s: "
            f"{met(exchange['import_unchanged_s'] <= IMPORT_TARGET_S)} |",
            f"| import_translations, {exchange['edited_entries']} summaries edited | "
            f"{exchange['import_edited_s']} | {exchange['import_edited_output']} | "
            f"≤ {IMPORT_TARGET_S:.0f} s: {met(exchange['import_edited_s'] <= IMPORT_TARGET_S)} |",
        ]
    lines += ["", "Gunicorn worker memory (VmRSS):", ""]
    for key, memory in data["memory"].items():
        workers = ", ".join(f"{mb} MB" for mb in memory["workers_rss_mb"].values())
        lines.append(
            f"- {label(data['sizes'][key])}: after the run {workers}; peak "
            f"{memory['peak_rss_mb']} MB; workers recycled {memory['worker_restarts']}"
        )
    generated = {n: s for n, s in data["generation_seconds"].items() if s is not None}
    if generated:
        lines.append(
            "- Generated this run: "
            + ", ".join(f"{n} articles in {s:.0f} s" for n, s in generated.items())
        )
    lines += ["", "| target | result |", "|---|---|"]
    for name, ok in data["targets"].items():
        lines.append(f"| {name} | {met(ok)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    env = os.environ.get
    parser.add_argument("--scale", action="store_true", help="1k vs 100k on PostgreSQL, PO timing")
    parser.add_argument("--n", type=int, default=int(env("N") or 1000), help="articles (default)")
    parser.add_argument("--threads", type=int, default=int(env("BENCH_THREADS") or 2))
    parser.add_argument("--connections", type=int, default=int(env("BENCH_CONNECTIONS") or 8))
    parser.add_argument(
        "--duration", type=int, default=int(env("BENCH_DURATION") or 6), help="seconds per run"
    )
    parser.add_argument("--warmup", type=int, default=int(env("BENCH_WARMUP") or 2))
    parser.add_argument("--rounds", type=int, default=int(env("BENCH_ROUNDS") or 3))
    parser.add_argument("--workers", type=int, default=int(env("WEB_CONCURRENCY") or 2))
    parser.add_argument("--small", type=int, default=int(env("SCALE_SMALL") or 1000))
    parser.add_argument("--large", type=int, default=int(env("SCALE_LARGE") or 100_000))
    parser.add_argument("--exchange", type=int, default=int(env("SCALE_EXCHANGE") or 10_000))
    parser.add_argument("--skip-exchange", action="store_true", help="scale: no PO timing")
    args = parser.parse_args(argv)
    cfg = Config(
        n=args.n,
        threads=args.threads,
        connections=args.connections,
        duration=args.duration,
        warmup=args.warmup,
        rounds=args.rounds,
        workers=args.workers,
        small=args.small,
        large=args.large,
        exchange=args.exchange,
        skip_exchange=args.skip_exchange,
    )
    ensure_wrk()
    started = time.monotonic()
    if args.scale:
        run_scale(cfg)
    else:
        run_default(cfg)
    say(f"total {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
