"""Crash safety: a process killed in the middle of a write leaves nothing half-written.

Real processes in production settings on a PostgreSQL database of the module's
own (migrated, demo content): gunicorn serving the admin, ``import_translations``,
``published_rebuild``. Each kill lands at a known point, with no hook in the
application: the test holds a row lock the write needs near its end, starts the
write, waits until PostgreSQL shows the write's backend waiting for that lock
(and holding write locks on the tables it has written, uncommitted), kills the
process (or lets gunicorn's timeout kill the worker), then releases the lock.

An admin save and a PO import wait on the read model's change counter
(``published_sequence``): ``clinic.published.store.tags_move`` locks it in the
last statements of every write, after the content and its documents. A rebuild
commits one transaction per batch: it is stopped on a document row of its
second batch, or on the counter, which it locks once every batch is committed.
"""

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import polib
import psycopg
import pytest

from bench.processes import PYTHON, ROOT, Server, base_env, database_url_for, ensure_database
from clinic.published.store import BATCH
from tests.two_factor import unused_code

DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(
        not DATABASE_URL.startswith(("postgres://", "postgresql://")),
        reason="crash safety is tested on PostgreSQL (DATABASE_URL=postgres://…): the tests "
        "stop each write on a row lock and read what the server shows of it",
    ),
]

#: The longest any wait of this module may take before the test fails.
WAIT = 60
ADMIN_USER, ADMIN_PASSWORD = "crash-admin", secrets.token_urlsafe(16)
LANGUAGES = ("en", "ar", "uk")
#: The demo article (the only one the demo content has).
ARTICLE = 1
CHANGE_PATH = f"/admin/articles/article/{ARTICLE}/change/"


# Processes


def environment(url: str) -> dict[str, str]:
    """Production settings (DEBUG off, a SECRET_KEY) on ``url``; every process looks for the
    changes of others at each request (``API_FRESHNESS_SECONDS=0``)."""
    return {
        **base_env(url),
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "LOG_LEVEL": "WARNING",
        "API_FRESHNESS_SECONDS": "0",
    }


def manage(url: str, *args: str, **env: str) -> str:
    """Run ``manage.py args`` to its end; its output (the test fails if it does)."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**environment(url), **env},
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{output[-3000:]}"
    return output


def start_manage(url: str, *args: str, log: Path) -> subprocess.Popen:
    """Start ``manage.py args`` in a process group of its own (its forked workers are in it)."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=environment(url),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def kill_group(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=WAIT)


def wait_for(check: Callable[[], object], what: str, seconds: float = WAIT):
    """``check()``'s first true value; fails the test saying ``what`` did not happen in time."""
    deadline = time.monotonic() + seconds
    while not (value := check()):
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds} s")
        time.sleep(0.05)
    return value


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def process_with_port(pids: list[int], port: int) -> int:
    """The process among ``pids`` that has a TCP socket on the local ``port``."""
    sockets = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                sockets.add(f"socket:[{fields[9]}]")
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) in sockets:
                    return pid
            except OSError:
                continue
    pytest.fail(f"no process among {pids} has a socket on local port {port}")


class InBackground(threading.Thread):
    """Calls ``function`` in a thread; its outcome is its result or the exception it raised."""

    def __init__(self, function: Callable[[], object]) -> None:
        super().__init__(daemon=True)
        self.function = function
        self.result: object = None
        self.start()

    def run(self) -> None:
        try:
            self.result = self.function()
        except Exception as error:
            self.result = error

    def poll(self) -> object:
        """None while it runs, then its outcome (as ``Popen.poll`` does)."""
        return None if self.is_alive() else self.result

    def outcome(self) -> object:
        self.join(WAIT)
        assert not self.is_alive(), f"the request did not end within {WAIT} s"
        return self.result


# The database, as the test sees it


def connect(url: str, *, autocommit: bool = True) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=autocommit)


def query(url: str, sql: str, params: tuple | list = ()) -> list[tuple]:
    with connect(url) as connection:
        return connection.execute(sql, params).fetchall()


def execute(url: str, sql: str, params: tuple | list = ()) -> None:
    with connect(url) as connection:
        connection.execute(sql, params)


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every row of every table (sessions aside: logging in writes them)."""
    with connect(url) as connection:
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for (table,) in tables
            if table != "django_session"
        }


def differing_tables(before: dict, after: dict) -> list[str]:
    tables = sorted(before.keys() | after.keys())
    return [table for table in tables if before.get(table) != after.get(table)]


def documents(url: str, kind: str) -> dict[tuple[int, str], tuple]:
    """The read model's rows of ``kind``: (object, language) → (visible, slug, list JSON,
    detail JSON, changed at)."""
    rows = query(
        url,
        "SELECT object_id, language, visible, slug, list_json, detail_json, changed_at "
        "FROM published_document WHERE kind = %s",
        [kind],
    )
    return {(row[0], row[1]): row[2:] for row in rows}


def titles(url: str) -> dict[str, str]:
    columns = ", ".join(f"title_{language}" for language in LANGUAGES)
    row = query(url, f"SELECT {columns} FROM articles_article WHERE id = %s", [ARTICLE])[0]
    return dict(zip(LANGUAGES, row, strict=True))


def verify_clean(url: str) -> None:
    """``published_verify`` finds no document that differs from a fresh build."""
    assert "The read model matches the content." in manage(url, "published_verify")


@dataclass(frozen=True)
class Waiter:
    """A backend waiting for a lock: its pid, its client's port, the tables it has written."""

    pid: int
    client_port: int
    written: frozenset[str]


def lock_waiter(url: str, table: str, writer: subprocess.Popen | InBackground) -> Waiter:
    """The backend of ``writer`` once it waits for a lock on a row of ``table``."""
    name = urlsplit(url).path.lstrip("/")

    def waiting() -> tuple | None:
        if (ended := writer.poll()) is not None:
            pytest.fail(f"the write ended ({ended!r}) before waiting for the lock on {table}")
        rows = query(
            url,
            "SELECT pid, client_port FROM pg_stat_activity WHERE datname = %s "
            "AND wait_event_type = 'Lock' AND query LIKE %s",
            [name, f'%"{table}"%'],
        )
        return rows[0] if rows else None

    pid, port = wait_for(waiting, f"a write waiting for the lock on {table}")
    written = query(
        url,
        "SELECT DISTINCT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE l.pid = %s AND l.mode = 'RowExclusiveLock' AND l.granted AND c.relkind = 'r'",
        [pid],
    )
    return Waiter(pid, port, frozenset(relation for (relation,) in written))


def backend_gone(url: str, pid: int) -> None:
    """Wait until the killed write's backend has ended (it rolls back when it finds its client
    gone: once it has the lock it waited for)."""
    wait_for(
        lambda: not query(url, "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]),
        f"the backend {pid} of the killed write ending",
    )


@contextmanager
def row_locked(url: str, sql: str, params: tuple | list = ()) -> Iterator[None]:
    """Hold the row locks of ``sql`` (a ``SELECT … FOR UPDATE``) until the block ends."""
    with connect(url, autocommit=False) as connection:
        assert connection.execute(sql, params).fetchall(), f"nothing to lock: {sql}"
        try:
            yield
        finally:
            connection.rollback()


def change_counter_locked(url: str):
    """The lock every write takes last (``tags_move``), after its content and documents."""
    return row_locked(url, "SELECT value FROM published_sequence WHERE id = 1 FOR UPDATE")


# The admin, as a browser behind the TLS proxy uses it


class FormFields(HTMLParser):
    """The fields a browser submits with the form ``form_id`` as it stands."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: list[str] | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value", "on")))
            elif kind not in ("submit", "button", "image", "file", "reset"):
                self.fields.append((name, attributes.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attributes, "options": []}
        elif tag == "option" and self._select is not None:
            value = attributes.get("value") or ""
            self._select["options"].append((value, "selected" in attributes))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.fields.append((name, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not self._select["multiple"]:
                chosen = [options[0][0]]  # a single select sends its first option
            self.fields += [(self._select["name"], value) for value in chosen]
            self._select = None


def form_fields(page: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(page)
    assert parser.fields, f"no form {form_id} on the page"
    return parser.fields


class Browser:
    """A logged-in editor: session and CSRF cookies, CSRF token and referrer, HTTPS."""

    #: The admin's authenticator app (the key shown when it set it up) and its last step.
    authenticator: dict[str, str | int] = {}

    def __init__(self, server: Server) -> None:
        self.port = server.port
        self.cookies: dict[str, str] = {}
        _status, _headers, page = self.request("GET", "/admin/login/")
        login = dict(form_fields(page, "login-form"))
        login.update(username=ADMIN_USER, password=ADMIN_PASSWORD)
        status, _headers, _page = self.request("POST", "/admin/login/", list(login.items()))
        assert status == 302, "the admin login failed"
        self._second_factor()

    def _second_factor(self) -> None:
        """A superuser gives a code after the password: the first time, set up the app (as a
        phone would, from the key on the page); afterwards, the app's next code."""
        _status, headers, _page = self.request("GET", "/admin/")
        page_path = urlsplit(headers["Location"]).path
        status, _headers, page = self.request("GET", page_path)
        assert status == 200, f"no two-factor page at {page_path}"
        if page_path == "/admin/two-factor/setup/":
            secret = re.search(r'id="two-factor-secret"[^>]*><bdi dir="ltr">([^<]+)<', page)[1]
            Browser.authenticator = {"secret": secret.replace(" ", ""), "last_step": -1}
        code, step = unused_code(
            str(Browser.authenticator["secret"]), int(Browser.authenticator["last_step"])
        )
        fields = dict(form_fields(page, "two-factor-form"), code=code)
        status, _headers, _page = self.request("POST", page_path, list(fields.items()))
        assert status == 302, "the admin's second factor was refused"
        Browser.authenticator["last_step"] = step

    def request(
        self, method: str, path: str, fields: list[tuple[str, str]] | None = None
    ) -> tuple[int, http.client.HTTPMessage, str]:
        headers = {"X-Forwarded-Proto": "https", "Referer": f"https://127.0.0.1:{self.port}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or ():
            self.cookies.update({name: m.value for name, m in SimpleCookie(header).items()})
        return response.status, response.headers, page

    def change_form(self) -> list[tuple[str, str]]:
        """Every field of the article's change form as it stands, and its Save button."""
        status, _headers, page = self.request("GET", CHANGE_PATH)
        assert status == 200
        return [*form_fields(page, "article_form"), ("_save", "Save")]

    def post_change(self, fields: list[tuple[str, str]]) -> int:
        return self.request("POST", CHANGE_PATH, fields)[0]

    def save(self, fields: list[tuple[str, str]]) -> None:
        status, headers, _page = self.request("POST", CHANGE_PATH, fields)
        assert status == 302, "the admin refused the save (its form came back)"
        assert headers["Location"] == "/admin/articles/article/"


def retitled(fields: list[tuple[str, str]], marker: str) -> tuple[list, dict[str, str]]:
    """The form with the article's title changed in every language; the new titles."""
    new = {f"title_{language}": f"Crash safety: {marker} ({language})" for language in LANGUAGES}
    changed = [(name, new.get(name, value)) for name, value in fields]
    return changed, {name.removeprefix("title_"): title for name, title in new.items()}


def served(server: Server, slug: str, language: str) -> tuple[str, str]:
    """The article's title as the API serves it in ``language``, and its ``X-Cache``."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    try:
        path = f"/api/v1/articles/{quote(slug)}/?lang={language}"
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 200, body[:300]
    return json.loads(body)["title"], response.headers["X-Cache"]


# Fixtures


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A throwaway database on the shared server: migrated, demo content, an admin user."""
    url = database_url_for(DATABASE_URL, f"crash_{os.getpid()}_{secrets.token_hex(4)}")
    ensure_database(url)
    try:
        manage(url, "migrate", "--verbosity", "0")
        manage(url, "load_demo_content")
        manage(
            url,
            *("createsuperuser", "--noinput", "--username", ADMIN_USER),
            *("--email", "crash@example.org"),
            DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD,
        )
        yield url
    finally:
        name = urlsplit(url).path.lstrip("/")
        execute(database_url_for(url, "postgres"), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def gunicorn(url: str, log_dir: Path, name: str, **env: str) -> Iterator[Server]:
    server = Server(name, {**environment(url), "GUNICORN_GRACEFUL_TIMEOUT": "5", **env}, log_dir)
    try:
        try:
            server.start(int(env["WEB_CONCURRENCY"]))
        except SystemExit as error:
            pytest.fail(f"{error}:\n{server.log_path.read_text()[-3000:]}")
        yield server
    finally:
        if server.process is not None and server.process.poll() is None:
            kill_group(server.process)  # thrown away with its database: no graceful stop


@pytest.fixture(scope="module")
def server(database, tmp_path_factory) -> Iterator[Server]:
    """gunicorn with a timeout no test reaches: its worker dies only when a test kills it.

    One worker with the local-memory cache: what it keeps, only it drops (a shared Redis
    database may be flushed by another test run at any time).
    """
    yield from gunicorn(
        database,
        tmp_path_factory.mktemp("gunicorn"),
        "patient",
        WEB_CONCURRENCY="1",
        GUNICORN_TIMEOUT="300",
        REDIS_URL="",
    )


@pytest.fixture(scope="module")
def hasty_server(database, tmp_path_factory) -> Iterator[Server]:
    """gunicorn killing a worker silent for 3 s (a request stuck that long)."""
    yield from gunicorn(
        database,
        tmp_path_factory.mktemp("gunicorn"),
        "hasty",
        WEB_CONCURRENCY="2",
        GUNICORN_TIMEOUT="3",
    )


@contextmanager
def save_held_at_its_end(
    database: str, server: Server, browser: Browser, fields: list[tuple[str, str]]
) -> Iterator[tuple[int, InBackground]]:
    """An admin save held on the change counter, its article and documents written (uncommitted).

    Yields the worker handling it and the request (its outcome: a status or an error). When the
    block ends, the lock is released and the save's backend has ended.
    """
    with change_counter_locked(database):
        save = InBackground(lambda: browser.post_change(fields))
        waiter = lock_waiter(database, "published_sequence", save)
        assert {"articles_article", "published_document"} <= waiter.written
        yield process_with_port(server.workers(), waiter.client_port), save
    backend_gone(database, waiter.pid)


def replaced(server: Server, worker: int) -> None:
    """Wait until gunicorn has replaced ``worker`` (as many workers as it started with)."""
    wait_for(
        lambda: worker not in (pids := server.workers()) and len(pids) == len(server.first_workers),
        f"gunicorn replacing its worker {worker}",
    )


def saved_everywhere(database: str, new: dict[str, str]) -> None:
    """The article has the ``new`` titles, and so have its documents in every language."""
    assert titles(database) == new
    article = documents(database, "article")
    for language in LANGUAGES:
        assert new[language] in article[(ARTICLE, language)][3]  # its detail's JSON
    verify_clean(database)


# An admin save


def test_an_admin_save_killed_mid_write_leaves_nothing_and_the_same_save_then_succeeds(
    database, server
):
    browser = Browser(server)
    fields, new = retitled(browser.change_form(), "saved after a killed worker")
    before = snapshot(database)

    with save_held_at_its_end(database, server, browser, fields) as (worker, save):
        os.kill(worker, signal.SIGKILL)
        assert isinstance(save.outcome(), http.client.HTTPException | ConnectionError)

    after = snapshot(database)
    assert after["articles_article"] == before["articles_article"]
    assert after["published_document"] == before["published_document"]
    assert differing_tables(before, after) == []
    replaced(server, worker)

    browser.save(fields)  # the same form: the version it was based on is still the current one
    saved_everywhere(database, new)
    slug = query(database, "SELECT slug_ar FROM articles_article WHERE id = %s", [ARTICLE])[0][0]
    assert served(server, slug, "ar")[0] == new["ar"]


def test_a_save_killed_by_gunicorns_timeout_mid_write_leaves_nothing_and_its_retry_succeeds(
    database, hasty_server
):
    browser = Browser(hasty_server)
    fields, new = retitled(browser.change_form(), "saved after a timed-out worker")
    before = snapshot(database)

    with save_held_at_its_end(database, hasty_server, browser, fields) as (worker, save):
        wait_for(lambda: not alive(worker), "gunicorn's timeout ending the stuck worker")
        outcome = save.outcome()
    # gunicorn aborts the worker (SIGABRT: SystemExit in the request, answered 500 if it can
    # still answer), then kills it.
    assert f"WORKER TIMEOUT (pid:{worker})" in hasty_server.log_path.read_text()
    assert outcome == 500 or isinstance(outcome, http.client.HTTPException | ConnectionError)

    assert differing_tables(before, snapshot(database)) == []
    replaced(hasty_server, worker)

    browser.save(fields)
    saved_everywhere(database, new)


# A PO import


def edited_translations(exported: Path, edited: Path) -> dict[str, tuple[str, str, str]]:
    """Change every current title, topic name and contact label of ``exported`` into ``edited``.

    ``{msgctxt: (table, column, new text)}`` of each change.
    """
    po = polib.pofile(str(exported))
    changes = {}
    for entry in po:
        model, _pk, field = entry.msgctxt.split(":")
        if field in ("title", "name", "label") and entry.msgstr and not entry.fuzzy:
            entry.msgstr = f"{entry.msgstr} (مراجعة)"
            changes[entry.msgctxt] = (model.replace(".", "_"), f"{field}_ar", entry.msgstr)
    po.save(str(edited))
    assert len(changes) >= 5, "the demo content has fewer translations than this test edits"
    return changes


def stored_translations(url: str, changes: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    stored = {}
    for msgctxt, (table, column, _text) in changes.items():
        pk = int(msgctxt.split(":")[1])
        stored[msgctxt] = query(url, f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])[0][0]
    return stored


def test_a_po_import_killed_mid_write_applies_nothing_and_the_next_run_applies_everything(
    database, tmp_path
):
    exported, edited = tmp_path / "ar.po", tmp_path / "ar-edited.po"
    manage(database, "export_translations", "ar", "-o", str(exported))
    changes = edited_translations(exported, edited)
    translated = stored_translations(database, changes)
    before = snapshot(database)

    with change_counter_locked(database):
        log = tmp_path / "import.log"
        importing = start_manage(database, "import_translations", str(edited), log=log)
        waiter = lock_waiter(database, "published_sequence", importing)
        # Every translation, its state and the documents are written (uncommitted).
        tables = {table for table, _column, _text in changes.values()}
        assert tables | {"i18n_translationstate", "published_document"} <= waiter.written
        kill_group(importing)
    backend_gone(database, waiter.pid)

    assert stored_translations(database, changes) == translated
    assert differing_tables(before, snapshot(database)) == []  # states, documents: as before

    manage(database, "import_translations", str(edited))
    wanted = {msgctxt: text for msgctxt, (_table, _column, text) in changes.items()}
    assert stored_translations(database, changes) == wanted
    arabic = "".join(
        list_json + detail_json
        for list_json, detail_json in query(
            database, "SELECT list_json, detail_json FROM published_document WHERE language = 'ar'"
        )
    )
    assert [text for text in wanted.values() if text not in arabic] == []
    verify_clean(database)


# A rebuild of the read model


@pytest.fixture
def many_articles(database) -> Iterator[list[int]]:
    """Copies of the demo article, enough for a second batch of the rebuild, loaded without the
    write path: their documents are the demo article's (a read model that needs a rebuild)."""

    def columns(table: str, *leaving: str) -> list[str]:
        rows = query(
            database,
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND NOT column_name = ANY(%s) ORDER BY ordinal_position",
            [table, list(leaving)],
        )
        return [name for (name,) in rows]

    article = columns("articles_article", "id")
    copied = [f"{name} || '-' || n" if name.startswith("slug") else name for name in article]
    document = columns("published_document", "id", "object_id")
    with connect(database) as connection:
        ids = [
            pk
            for (pk,) in connection.execute(
                f"INSERT INTO articles_article ({', '.join(article)}) "
                f"SELECT {', '.join(copied)} FROM articles_article, generate_series(1, %s) AS n "
                "WHERE id = %s RETURNING id",
                [BATCH + 5, ARTICLE],
            )
        ]
        connection.execute(
            f"INSERT INTO published_document (object_id, {', '.join(document)}) "
            f"SELECT copy, {', '.join(document)} "
            "FROM published_document, unnest(%s::bigint[]) AS copy "
            "WHERE kind = 'article' AND object_id = %s",
            [ids, ARTICLE],
        )
    yield sorted(ids)
    with connect(database) as connection:
        connection.execute(
            "DELETE FROM published_document WHERE kind = 'article' AND object_id = ANY(%s)", [ids]
        )
        connection.execute("DELETE FROM articles_article WHERE id = ANY(%s)", [ids])


def test_a_rebuild_killed_mid_batch_leaves_every_document_whole_and_the_next_run_completes(
    database, many_articles, tmp_path
):
    ordered = sorted([ARTICLE, *many_articles])
    first, second = set(ordered[:BATCH]), set(ordered[BATCH:])
    before = documents(database, "article")
    copied_at = max(row[4] for row in before.values())

    def first_batch_committed() -> bool:
        unwritten = query(
            database,
            "SELECT count(*) FROM published_document "
            "WHERE kind = 'article' AND object_id = ANY(%s) AND changed_at <= %s",
            [sorted(first - {ARTICLE}), copied_at],
        )
        return unwritten == [(0,)]

    # The batch's upsert reaches this row last (newest article first, then en, ar, uk): it
    # waits there with the batch's other rows written.
    with row_locked(
        database,
        "SELECT 1 FROM published_document WHERE kind = 'article' AND object_id = %s "
        "AND language = 'uk' FOR UPDATE",
        [min(second)],
    ):
        log = tmp_path / "rebuild.log"
        rebuild = start_manage(database, "published_rebuild", "--jobs", "2", log=log)
        waiter = lock_waiter(database, "published_document", rebuild)
        assert "published_document" in waiter.written  # its upsert of the second batch
        wait_for(first_batch_committed, "the first batch committing")
        kill_group(rebuild)  # the command and its workers
    backend_gone(database, waiter.pid)
    killed = documents(database, "article")

    manage(database, "published_rebuild", "--jobs", "2")
    rebuilt = documents(database, "article")
    assert killed.keys() == before.keys() == rebuilt.keys()
    # The batch being written is rolled back whole; the one committed is as a full run builds it.
    assert [key for key in killed if key[0] in second and killed[key] != before[key]] == []
    assert [key for key in killed if key[0] in first and killed[key] != rebuilt[key]] == []
    for visible, _slug, list_json, detail_json, _changed_at in killed.values():
        assert visible
        json.loads(list_json), json.loads(detail_json)  # whole JSON, never a cut one
    duplicates = query(
        database,
        "SELECT kind, object_id, language FROM published_document "
        "GROUP BY kind, object_id, language HAVING count(*) > 1",
    )
    assert duplicates == []
    verify_clean(database)


def test_a_rebuild_killed_while_announcing_its_changes_leaves_no_stale_response_after_a_rerun(
    database, server, tmp_path
):
    """A batch's documents and their announcement (the tags that drop cached responses)
    commit together: killed in between, the rerun writes and announces them."""
    slug = query(database, "SELECT slug_en FROM articles_article WHERE id = %s", [ARTICLE])[0][0]
    old, _cache = served(server, slug, "en")
    assert served(server, slug, "en") == (old, "hit")
    corrected = "Crash safety: corrected without the write path"
    execute(
        database, "UPDATE articles_article SET title_en = %s WHERE id = %s", [corrected, ARTICLE]
    )
    assert served(server, slug, "en") == (old, "hit")  # what published_rebuild is for

    with change_counter_locked(database):
        rebuild = start_manage(database, "published_rebuild", log=tmp_path / "rebuild.log")
        waiter = lock_waiter(database, "published_sequence", rebuild)
        kill_group(rebuild)
    backend_gone(database, waiter.pid)

    # Not committed without its announcement: the documents and the cache still agree.
    assert corrected not in documents(database, "article")[(ARTICLE, "en")][3]
    assert served(server, slug, "en") == (old, "hit")
    written = manage(database, "published_rebuild")
    assert re.search(r"\b[1-9]\d* documents written", written), written
    verify_clean(database)
    assert served(server, slug, "en")[0] == corrected
