import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clinic.i18n.exchange import FORMATS, ONLY_CHOICES, translations_export, write_translations


class Command(BaseCommand):
    help = (
        "Write the content translations of one language as a PO or XLIFF 1.2 file for "
        "translators: one entry per translatable field; stale entries are fuzzy (XLIFF: "
        "needs-review-translation) with the previous source."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("language", help="Target language code, e.g. ar.")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--only", choices=ONLY_CHOICES, default="all", help="Which entries (default: all)."
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default="po",
            dest="file_format",
            help="po (gettext tools, default) or xliff (XLIFF 1.2, for CAT tools).",
        )
        parser.add_argument(
            "--model",
            action="append",
            dest="models",
            help="Content type to export (articles, topics, contacts, disclaimers, reviewers); "
            "repeatable.",
        )

    def handle(
        self,
        *args,
        language: str,
        output: str | None,
        only: str,
        file_format: str,
        models,
        **options,
    ):
        try:
            po = translations_export(language=language, only=only, model_names=models)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        data = write_translations(po, file_format)
        if output:
            try:
                Path(output).write_bytes(data)
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
            self.stderr.write(f"Wrote {len(po)} entries for “{language}” to {output}.")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
