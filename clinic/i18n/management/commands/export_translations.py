import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clinic.i18n.exchange import ONLY_CHOICES, translations_export


class Command(BaseCommand):
    help = (
        "Write the content translations of one language as a PO file for translators: "
        "one entry per translatable field; stale entries are fuzzy with the previous source."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("language", help="Target language code, e.g. ar.")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--only", choices=ONLY_CHOICES, default="all", help="Which entries (default: all)."
        )
        parser.add_argument(
            "--model",
            action="append",
            dest="models",
            help="Content type to export (articles, topics, contacts, disclaimers, reviewers); "
            "repeatable.",
        )

    def handle(self, *args, language: str, output: str | None, only: str, models, **options):
        try:
            po = translations_export(language=language, only=only, model_names=models)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if output:
            po.save(str(Path(output)))
            self.stderr.write(f"Wrote {len(po)} entries for “{language}” to {output}.")
        else:
            sys.stdout.write(str(po))
            sys.stdout.write("\n")
