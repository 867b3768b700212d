"""An editor committing numbered titles through the write path, to judge what readers are served.

    python -m bench.faults.editor SLUG [--every 0.5] [--count N]

(with the server's environment: ``bench.processes.base_env`` and its ``REDIS_URL``).
Each edit sets the English title of the article whose English slug is ``SLUG``
to its title with `` #<n>`` at the end, ``n`` one more than the last edit's,
through ``clinic.i18n.services.content_save`` as the admin saves (a transaction,
translation state, a revision, the read model's documents and their tags), so
a response showing ``#k`` shows the content as of edit ``k``. The slug never
changes (slugs are derived only when empty).

Prints ``ready``, then one line per edit: ``COMMITTED <n> <unix time>`` once
``content_save`` has returned (the commit finished at or before that time), or
``FAILED <n> <error>`` (during a database outage). A failed edit may still have
committed, so numbers never repeat: the next edit takes ``n + 1`` either way.
:class:`EditorProcess` runs it beside a load and collects the lines.
"""

import argparse
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time

from bench.processes import PYTHON, ROOT, terminate

_NUMBER = re.compile(r" #(\d+)$")


def title_number(title: str) -> int:
    """The number of the edit a title shows (0: never edited)."""
    match = _NUMBER.search(title)
    return int(match.group(1)) if match else 0


def numbered(title: str, number: int) -> str:
    return f"{_NUMBER.sub('', title)} #{number}"


def edit_title(slug: str, number: int) -> None:
    """Save the article's English title as edit ``number``, as the admin does."""
    from articles.models import Article
    from clinic.i18n.models import TranslationState
    from clinic.i18n.services import content_save

    article = Article.objects.get(slug_en=slug)
    article.title_en = numbered(article.title_en, number)
    content_save(
        obj=article,
        changed_fields=["title_en"],
        origin=TranslationState.Origin.ADMIN,
        by=None,
    )


def current_number(slug: str) -> int:
    from articles.models import Article

    return title_number(Article.objects.values_list("title_en", flat=True).get(slug_en=slug))


def edit_until_stopped(slug: str, every: float, count: int, stop: threading.Event) -> None:
    from django.db import DatabaseError, close_old_connections, connection

    number = current_number(slug)
    done = 0
    due = time.monotonic()
    while not stop.wait(max(0.0, due - time.monotonic())):
        number += 1
        close_old_connections()
        try:
            edit_title(slug, number)
        except DatabaseError as error:
            _say(f"FAILED {number} {type(error).__name__}: {str(error).strip()[:200]!r}")
            with contextlib.suppress(DatabaseError):
                connection.close()  # reconnect for the next edit
        else:
            _say(f"COMMITTED {number} {time.time():.6f}")
        done += 1
        if count and done >= count:
            return
        due = max(due + every, time.monotonic())


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("slug", help="the English slug of the article to edit")
    parser.add_argument("--every", type=float, default=0.5, help="seconds between edits")
    parser.add_argument("--count", type=int, default=0, help="edits to make (0: until stopped)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    _say("ready")
    edit_until_stopped(args.slug, args.every, args.count, stop)


class EditorProcess:
    """``python -m bench.faults.editor`` in a subprocess; its commits as (number, time) pairs."""

    def __init__(self, env: dict[str, str], slug: str, *, every: float = 0.5, count: int = 0):
        self.command = [PYTHON, "-m", "bench.faults.editor", slug, "--every", str(every)]
        self.command += ["--count", str(count)]
        self.env = {**env, "LOG_LEVEL": "ERROR"}
        self.commits: list[tuple[int, float]] = []
        self.failures: list[str] = []
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self.process: subprocess.Popen | None = None
        self._reader: threading.Thread | None = None

    def start(self) -> "EditorProcess":
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._ready.wait(60):
            self.stop()
            raise RuntimeError(f"the editor did not start: {self.failures}")
        return self

    def _read(self) -> None:
        for line in self.process.stdout:
            words = line.split()
            with self._lock:
                if words[:1] == ["ready"]:
                    self._ready.set()
                elif words[:1] == ["COMMITTED"]:
                    self.commits.append((int(words[1]), float(words[2])))
                else:
                    self.failures.append(line.rstrip())
        self._ready.set()

    def wait(self, timeout: float = 60) -> None:
        """Until the editor exits by itself (``count`` edits made)."""
        self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)

    def stop(self) -> None:
        if self.process is not None:
            terminate(self.process, seconds=30)
        if self._reader is not None:
            self._reader.join(timeout=5)


def edit_once(env: dict[str, str], slug: str) -> int:
    """Commit one numbered title edit in a subprocess; its number."""
    editor = EditorProcess(env, slug, count=1).start()
    editor.wait()
    if not editor.commits:
        raise RuntimeError(f"the edit failed: {editor.failures}")
    return editor.commits[-1][0]


if __name__ == "__main__":
    main()
