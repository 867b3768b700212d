"""The editor of the mixed run: one article edited per interval through the one write path.

    DJANGO_SETTINGS_MODULE=bench.settings SECRET_KEY=... REDIS_URL=... python -m bench.editor

Started by bench.mixed beside the gunicorn it measures, with the same database
and the same Redis cache, so every edit reaches the readers the way an editor's
would: ``clinic.i18n.services.content_save`` saves the article in a transaction,
records translation state and a revision, and rebuilds the article's documents in
the read model, moving the tags of what changed, in the same transaction. Each
edit picks an article uniformly among the published ones and alternates between
its English summary (its translations become stale) and its Arabic summary (a
translation recorded as current), toggling a short suffix so
every save changes the text and the text never grows.

Prints ``ready`` once Django is set up, edits until SIGTERM or SIGINT, then
prints one line ``EDITOR_JSON {...}``: edits done, edits failed (counted by
error message, not logged: standard output is read only at the end), save times.
"""

import argparse
import json
import os
import random
import secrets
import signal
import statistics
import sys
import threading
import time
from collections import Counter

# The suffix toggled on the field edited, per language (the PO timing edits Arabic with it too).
EDIT_SUFFIXES = {"en": " (revised)", "ar": " (نص منقح)"}
EDITED_FIELD = "summary"


def toggle_suffix(text: str, suffix: str) -> str:
    """``text`` with ``suffix`` added, or removed if it ends with it: an edit that never grows."""
    return text.removesuffix(suffix) if text.endswith(suffix) else text + suffix


def edit_article(pk: int, language: str) -> None:
    """Toggle the suffix of the article's summary in ``language`` and save it like the admin."""
    from articles.models import Article
    from clinic.i18n.models import TranslationState
    from clinic.i18n.services import content_save

    article = Article.objects.get(pk=pk)
    column = f"{EDITED_FIELD}_{language}"
    setattr(article, column, toggle_suffix(getattr(article, column), EDIT_SUFFIXES[language]))
    content_save(
        obj=article,
        changed_fields=[column],
        origin=TranslationState.Origin.ADMIN,
        by=None,
    )


def edit_until_stopped(interval: float, seed: int, stop: threading.Event) -> dict:
    """Edit one article every ``interval`` seconds until ``stop`` is set; a summary of the edits.

    Edits are due at fixed times from the start; one that falls behind is not
    made up with a burst, the next is due an interval after it.
    """
    from django.db import DatabaseError

    from articles.models import Article

    rng = random.Random(seed)
    pks = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    languages = list(EDIT_SUFFIXES)
    save_ms: list[float] = []
    failures: Counter[str] = Counter()
    due = time.monotonic()
    while not stop.wait(max(0.0, due - time.monotonic())):
        started = time.monotonic()
        language = languages[(len(save_ms) + failures.total()) % len(languages)]
        try:
            edit_article(rng.choice(pks), language)
        except DatabaseError as error:
            failures[f"{type(error).__name__}: {error}"] += 1
        else:
            save_ms.append((time.monotonic() - started) * 1000)
        due = max(due + interval, time.monotonic())
    return {
        "edits": len(save_ms),
        "failed": failures.total(),
        "failures": dict(failures),
        "interval_s": interval,
        "articles": len(pks),
        "picked": "uniformly among published articles",
        "fields": [f"{EDITED_FIELD}_{language}" for language in languages],
        "save_ms": {
            "median": round(statistics.median(save_ms), 1) if save_ms else None,
            "max": round(max(save_ms), 1) if save_ms else None,
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between edits")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    summary = edit_until_stopped(args.interval, args.seed, stop)
    sys.stdout.write("EDITOR_JSON " + json.dumps(summary, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
