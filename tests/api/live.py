"""A live API for tests that need a real server process: gunicorn in production settings.

It serves a database of its own (a SQLite file, or a throwaway PostgreSQL database
on the server of ``DATABASE_URL``), migrated and holding the demo content, with the
local-memory cache (a shared Redis database may be flushed by other test processes)
and a throttle rate no test reaches.
"""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from bench.processes import Server, base_env, database_url_for, ensure_database, run_command

#: Every operation of the schema, by its operation id.
OPERATIONS = {
    "list_articles",
    "get_article",
    "preview_article",
    "list_topics",
    "list_contacts",
    "list_disclaimers",
    "list_languages",
    "get_interface_catalog",
    "check_liveness",
    "check_readiness",
}

#: Sent with every request, as the TLS-terminating proxy in front of production does.
BEHIND_TLS_PROXY = {"X-Forwarded-Proto": "https"}


@dataclass(frozen=True)
class LiveApi:
    server: Server
    env: dict[str, str]

    def url(self, path: str = "") -> str:
        return self.server.url(path)

    def manage(self, *args: str) -> str:
        """``manage.py`` with the server's settings and database; its last line of output."""
        return run_command(list(args), self.env)[1]


@contextmanager
def live_api(directory: Path, *, workers: int = 2) -> Iterator[LiveApi]:
    """A running server with the demo content, stopped (and its database dropped) after."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        url = database_url_for(base, f"live_{os.getpid()}_{secrets.token_hex(4)}")
        ensure_database(url)
    else:
        url = f"sqlite:///{directory / 'live.sqlite3'}"
    env = {
        **base_env(url),
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "REDIS_URL": "",
        "WEB_CONCURRENCY": str(workers),
    }
    server = Server("live-api", env, directory)
    api = LiveApi(server, env)
    try:
        api.manage("migrate", "--noinput")
        api.manage("load_demo_content")
        try:
            server.start(workers)
        except SystemExit as error:
            raise RuntimeError(f"{error}:\n{server.log_text()[-3000:]}") from error
        yield api
    finally:
        server.stop()
        if url.startswith("postgres"):
            name = urlsplit(url).path.lstrip("/")
            with psycopg.connect(database_url_for(url, "postgres"), autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
