"""The benchmark's processes: settings, subprocesses, gunicorn servers, ports, CPU and memory.

Everything the benchmark starts runs in production settings (``base_env``) with
one random ``SECRET_KEY`` per run; the CPU accounting reads ``/proc`` to tell the
benchmark's own work (gunicorn, its PostgreSQL backends, wrk) from other load.
"""

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")

HEADERS = {"X-Forwarded-Proto": "https"}
THROTTLE_RATE = "100000000/second"
# One random key for every process of a run (generate, probe, gunicorn).
SECRET_KEY = secrets.token_urlsafe(50)


def say(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


# Settings and subprocesses


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


# Databases


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


# Ports, CPU and memory


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


def check_quiet() -> float:
    """Cores busy with other work before measuring; warns when the machine is not quiet."""
    load = other_load()
    if load > 0.25:
        say(f"WARNING: other processes keep {load} cores busy; the figures will be low")
    return load


def command_lines() -> Iterator[tuple[int, str]]:
    """(pid, command line) of every process on the machine."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        yield int(entry.name), command


# Last CPU ticks seen per PostgreSQL backend: a backend that exits (CONN_MAX_AGE) keeps
# its last value, so the CPU it used is not lost from the benchmark's side.
_BACKEND_TICKS: dict[int, int] = {}


def postgres_ticks(databases: set[str]) -> int:
    """CPU of the PostgreSQL backends connected to ``databases`` (live or seen before)."""
    if not databases:
        return 0
    for pid, command in command_lines():
        if command.startswith("postgres:") and any(f" {name} " in command for name in databases):
            _BACKEND_TICKS[pid] = max(_BACKEND_TICKS.get(pid, 0), process_ticks(pid))
    return sum(_BACKEND_TICKS.values())


def redis_ticks(url: str) -> int:
    """CPU of the local ``redis-server`` serving ``url`` (0 if none is found on this machine)."""
    port = urlsplit(url).port or 6379
    for pid, command in command_lines():
        program = command.split(" ", 1)[0]
        if program.endswith("redis-server") and f":{port}" in command:
            return process_ticks(pid)
    return 0


# Servers


class Server:
    """One gunicorn (repository's gunicorn.conf.py) on 127.0.0.1 and a free port.

    It serves the project (``clinic.wsgi``) unless told another WSGI ``app``, and is
    ready when ``ready_path`` answers 200 and every worker is up.
    """

    def __init__(
        self,
        name: str,
        env: dict[str, str],
        log_dir: Path,
        *,
        app: str = "clinic.wsgi:application",
        ready_path: str = "/healthz",
    ) -> None:
        self.name = name
        self.app = app
        self.ready_path = ready_path
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
            [GUNICORN, self.app, "-c", "gunicorn.conf.py"],
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
                ready = fetch(self.url(self.ready_path))[0] == 200
                if ready and len(self.workers()) >= workers:
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

    def kill_worker(self, signum: int = signal.SIGKILL) -> int:
        """Send ``signum`` (SIGKILL: a crash) to one worker; its PID. The master starts another."""
        pid = self.workers()[0]
        os.kill(pid, signum)
        return pid

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is not None:
            terminate(self.process, seconds=40)


def terminate(process: subprocess.Popen, *, seconds: float) -> None:
    """Ask ``process`` to stop (SIGTERM), kill it if it has not within ``seconds``, reap it."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def fetch(url: str) -> tuple[int, bytes, str]:
    """Status, body and Content-Type of a GET of ``url``, sent as the TLS proxy would."""
    request = urllib.request.Request(url, headers=HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", "")


def own_ticks(servers: dict[str, Server]) -> int:
    """CPU used by the benchmark: gunicorn, its PostgreSQL backends, wrk and this process."""
    me = process_ticks(os.getpid())
    databases = {server.database for server in servers.values() if server.database}
    gunicorn = sum(server.cpu_ticks() for server in servers.values())
    return me + own_children_ticks() + gunicorn + postgres_ticks(databases)


def worker_memory(server: Server) -> dict:
    sizes = server.sample()
    return {
        "workers_rss_mb": {str(pid): round(kb / 1024, 1) for pid, kb in sizes.items()},
        "max_rss_mb": round(max(sizes.values()) / 1024, 1) if sizes else None,
        "peak_rss_mb": round(server.peak_rss_kb / 1024, 1),
        "worker_restarts": len(server.seen_workers - server.first_workers),
    }
