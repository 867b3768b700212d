"""``manage.py published_rebuild``: rebuild the published read model from the content."""

import os
import time

from django.core.management.base import BaseCommand, CommandError

from clinic.i18n.languages import language_codes
from clinic.published import configuration
from clinic.published.store import documents_rebuild, kinds


class Command(BaseCommand):
    help = (
        "Rebuild the read model the API serves (all of it, some kinds, some languages), in "
        "batches, writing only documents that differ. Run it after adding a language, "
        "after loading content without the write path, or when published_verify reports drift. "
        "With --if-settings-changed (run when the service starts), only when the settings the "
        "documents were rendered with (public page URLs, the publisher) have changed since."
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
            "--if-settings-changed",
            action="store_true",
            help="Rebuild everything only if the settings documents depend on changed since the "
            "last complete rebuild (or none was recorded); otherwise do nothing.",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes building side by side (PostgreSQL; default: one per CPU).",
        )

    def handle(self, *args, kinds: list[str] | None, languages: list[str] | None, **options):
        self.verbosity = options["verbosity"]
        complete = not kinds and not languages
        if options["if_settings_changed"]:
            if not complete:
                raise CommandError(
                    "--if-settings-changed rebuilds everything: leave out --kind and --language."
                )
            if not configuration.changed():
                self.stdout.write(
                    "The documents were rendered with the current settings: nothing to rebuild."
                )
                return
            self.stdout.write("The settings documents depend on changed: rebuilding them all.")
        started = time.monotonic()
        outcome = documents_rebuild(
            selected_kinds(kinds),
            languages=selected_languages(languages),
            jobs=options["jobs"],
            progress=self._progress,
        )
        if complete:
            configuration.record()
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
