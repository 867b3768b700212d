"""A Redis server and a PostgreSQL cluster of the caller's own, to stop and restart at will.

Both listen on 127.0.0.1 and a free port and keep nothing worth keeping: Redis
persists nothing (``--save "" --appendonly no``), the cluster lives in a
temporary directory with ``fsync`` off and trust authentication, removed by
:meth:`PostgresCluster.destroy`. Stopping and restarting them is real: the
Redis process exits and a new one starts (empty), and PostgreSQL is restarted
by ``pg_ctl restart -m fast`` (every backend terminated, a new postmaster), so
what a test or the drill does to them never touches the machine's shared
servers.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from bench.processes import free_port, say, terminate

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
#: Nothing kept on disk: a restarted server starts empty.
REDIS_OPTIONS = ("--save", "", "--appendonly", "no", "--protected-mode", "no")
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
#: PostgreSQL refuses to run as root: as root, its commands run as this OS user.
PG_USER = "postgres"


def missing() -> str | None:
    """Why the services cannot run on this machine, or ``None``."""
    if not Path(REDIS_SERVER).exists():
        return "redis-server is not installed"
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL's initdb is not in {PG_BIN} (set PG_BIN)"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root needs runuser to start PostgreSQL as its own user"
    return None


def wait_for_port(port: int, *, seconds: float = 30.0, closed: bool = False) -> None:
    """Until 127.0.0.1:``port`` accepts connections (``closed``: until it refuses them)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                if not closed:
                    return
        except OSError:
            if closed:
                return
        time.sleep(0.05)
    state = "refusing" if closed else "accepting"
    raise TimeoutError(f"port {port} is not {state} connections after {seconds} s")


class RedisServer:
    """``redis-server`` on 127.0.0.1:``port``; it starts empty unless stopped with ``keep``."""

    def __init__(self, log_dir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.log_path = log_dir / f"redis-{self.port}.log"
        self.dump_path = log_dir / f"redis-{self.port}.rdb"
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        if self.running:
            return
        with self.log_path.open("ab") as log:
            listen = ["--port", str(self.port), "--bind", "127.0.0.1"]
            dump = ["--dir", str(self.dump_path.parent), "--dbfilename", self.dump_path.name]
            self.process = subprocess.Popen(
                [REDIS_SERVER, *listen, *REDIS_OPTIONS, *dump],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 10
        while not self._pong():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start; see {self.log_path}")
            time.sleep(0.05)

    def _pong(self) -> bool:
        try:
            return self._command(b"PING") == b"+PONG"
        except OSError:
            return False

    def keys(self, db: int = 0) -> int:
        """How many keys database ``db`` holds (asked directly, not through any proxy)."""
        reply = self._command(b"SELECT %d\r\nDBSIZE" % db).split(b"\r\n")[-1]
        return int(reply.removeprefix(b":"))

    def command(self, *words: str) -> str:
        """Run one command (words without spaces); its reply, e.g. ``"OK"``, ``"PONG"``, ``"3"``."""
        return self._command(" ".join(words).encode()).decode().lstrip("+:-")

    def _command(self, command: bytes) -> bytes:
        """Send inline ``command`` (lines); the reply to the last line, without its CRLF."""
        expected = command.count(b"\r\n") + 1
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(command + b"\r\n")
            reply = b""
            while reply.count(b"\r\n") < expected:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                reply += chunk
        return reply.rstrip(b"\r\n")

    def stop(self, *, keep: bool = False) -> None:
        """Stop the server and wait until its port refuses.

        ``keep``: save what it holds first, to load it at the next start (a
        network outage, or a Redis that persists); else it holds nothing then.
        """
        if not self.running:
            return
        if keep:
            with contextlib.suppress(OSError):  # it closes the connection as it exits
                self._command(b"SHUTDOWN SAVE")
        else:
            self.dump_path.unlink(missing_ok=True)
        terminate(self.process, seconds=10)
        wait_for_port(self.port, closed=True, seconds=10)

    def restart(self) -> None:
        self.stop()
        self.start()


class PostgresCluster:
    """A PostgreSQL cluster of its own in a temporary directory, on 127.0.0.1:``port``.

    ``initdb`` with trust authentication; ``start``, ``stop`` and ``restart`` are
    ``pg_ctl``'s, ``-m fast`` (backends terminated at once, as a deployment's
    restart does). As root every command runs as the ``postgres`` OS user.
    """

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.directory / "data"
        self.log_path = self.directory / "postgres.log"
        self.initialised = False

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", PG_USER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{args[0]} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
                f"\n(log: {self.log_path})"
            )
        return result

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, user=PG_USER, group=None)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")
        settings = {
            "port": self.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.directory}'",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": 50,
            "shared_buffers": "'32MB'",
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n# bench.faults\n")
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
        self.initialised = True

    def start(self) -> None:
        if not self.initialised:
            self.init()
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-w", "-t", "30", "start"
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")

    def restart(self) -> None:
        """A real restart: every backend terminated, a new postmaster started, then ready."""
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-m", "fast", "-w",
            "-t", "30", "restart",
        )  # fmt: skip
        wait_for_port(self.port)

    @property
    def running(self) -> bool:
        return (
            self.initialised
            and self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0
        )

    def postmaster_pid(self) -> int | None:
        """The running postmaster's PID (a restart changes it), or ``None``."""
        try:
            return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None

    def destroy(self) -> None:
        """Stop the cluster (``immediate``) and remove its directory."""
        if self.initialised and self.running:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.directory, ignore_errors=True)
        say(f"PostgreSQL cluster on port {self.port} removed")
