"""``manage.py published_rebuild``: rebuild the published read model from the content."""

import os
import time

from django.core.management.base import BaseCommand, CommandError

from clinic.i18n.languages import language_codes
from clinic.published.store import documents_rebuild, kinds


class Command(BaseCommand):
    help = (
        "Rebuild the read model the API serves (all of it, some kinds, some languages), in "
        "batches, writing only documents that differ. Run it after adding a language, "
        "after loading content without the write path, or when published_verify reports drift."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            metavar="KIND",
            help="Only this kind (repeatable): " + ", ".join(kind.name for kind in kinds()),
        )
        parser.add_argument(
            "--language",
            action="append",
            dest="languages",
            metavar="CODE",
            help="Only the documents in this language (repeatable).",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes building side by side (PostgreSQL; default: one per CPU).",
        )

    def handle(self, *args, kinds: list[str] | None, languages: list[str] | None, **options):
        self.verbosity = options["verbosity"]
        started = time.monotonic()
        outcome = documents_rebuild(
            selected_kinds(kinds),
            languages=selected_languages(languages),
            jobs=options["jobs"],
            progress=self._progress,
        )
        self.stdout.write(
            f"{outcome.changed} documents written in {time.monotonic() - started:.1f} s."
        )

    def _progress(self, kind: str, done: int, total: int) -> None:
        if self.verbosity >= 1 and total:
            self.stdout.write(f"{kind}: {done}/{total}")


def selected_kinds(requested: list[str] | None) -> list[str]:
    known = [kind.name for kind in kinds()]
    unknown = sorted(set(requested or ()) - set(known))
    if unknown:
        raise CommandError(f"Unknown kind {', '.join(unknown)}; known: {', '.join(known)}.")
    return requested or known


def selected_languages(requested: list[str] | None) -> list[str] | None:
    unknown = sorted(set(requested or ()) - set(language_codes()))
    if unknown:
        raise CommandError(
            f"Unknown language {', '.join(unknown)}; configured: {', '.join(language_codes())}."
        )
    return requested
