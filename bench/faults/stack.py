"""The service as production runs it, on dependencies of its own that can be made to fail.

A :class:`Stack` is a throwaway PostgreSQL cluster (:class:`~bench.faults.services.PostgresCluster`)
holding a migrated database with the demo content (``manage.py load_demo_content``
saves through the write path, which builds the read model's documents too), a
Redis server reached through a :class:`~bench.faults.proxy.TcpProxy` (so it can
be blackholed or refused while keeping its entries), and gunicorn
(``bench.processes.Server``: the repository's ``gunicorn.conf.py``, production
settings from ``base_env``, ``DEBUG`` off) on both. ``env`` adds or overrides
variables (``GUNICORN_TIMEOUT``, ``CACHE_RETRY_SECONDS``, ...).
"""

import shutil
import tempfile
from pathlib import Path

from bench.faults.proxy import TcpProxy
from bench.faults.services import PostgresCluster, RedisServer
from bench.processes import Server, base_env, ensure_database, run_command, say

DATABASE = "faults"


class Stack:
    def __init__(
        self,
        *,
        workers: int = 2,
        env: dict[str, str] | None = None,
        log_dir: Path | None = None,
    ) -> None:
        self.workers = workers
        self._own_log_dir = log_dir is None
        self.log_dir = log_dir or Path(tempfile.mkdtemp(prefix="faults-logs-"))
        self.postgres = PostgresCluster()
        self.redis = RedisServer(self.log_dir)
        self.proxy = TcpProxy(self.redis.port)
        self.database_url = self.postgres.url(DATABASE)
        self.redis_url = f"redis://127.0.0.1:{self.proxy.port}/0"
        self.env = {
            **base_env(self.database_url),
            "REDIS_URL": self.redis_url,
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_GRACEFUL_TIMEOUT": "5",
            **(env or {}),
        }
        self.server = Server("faults", self.env, self.log_dir)

    @property
    def freshness_seconds(self) -> float:
        """How long a process may serve a hit before it looks for changes (default 1 s)."""
        return float(self.env.get("API_FRESHNESS_SECONDS", "1"))

    @property
    def port(self) -> int:
        return self.server.port

    def start(self) -> "Stack":
        try:
            self.postgres.start()
            ensure_database(self.database_url)
            run_command(["migrate", "--noinput"], self.env)
            run_command(["load_demo_content"], self.env)
            self.redis.start()
            self.proxy.start()
            self.server.start(self.workers)
        except BaseException:
            self.stop()
            raise
        say(
            f"faults stack: gunicorn :{self.port}, PostgreSQL :{self.postgres.port}, "
            f"Redis :{self.redis.port} behind proxy :{self.proxy.port}; logs in {self.log_dir}"
        )
        return self

    def stop(self) -> None:
        self.server.stop()
        self.proxy.close()
        self.redis.stop()
        self.postgres.destroy()

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def worker_timeouts(self) -> int:
        """Workers gunicorn killed for being silent past its timeout, as its log says."""
        return self.server.log_text().count("WORKER TIMEOUT")

    def remove_logs(self) -> None:
        if self._own_log_dir:
            shutil.rmtree(self.log_dir, ignore_errors=True)
