from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clinic.i18n.exchange import FORMATS, ImportFailed, ImportReport, translations_import


class Command(BaseCommand):
    help = (
        "Import a translated PO or XLIFF 1.2 file: the whole file is checked first, then every "
        "accepted entry is applied in one transaction. A file with errors changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The PO or XLIFF file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, change nothing."
        )
        parser.add_argument("--lang", help="Refuse the file unless it is in this language.")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            dest="file_format",
            help="po or xliff (default: detected from the content: XML is XLIFF).",
        )

    def handle(
        self,
        *args,
        file: str,
        dry_run: bool,
        lang: str | None,
        file_format: str | None,
        **options,
    ) -> None:
        try:
            report = translations_import(
                path=Path(file), dry_run=dry_run, language=lang, file_format=file_format
            )
        except ImportFailed as failed:
            self._details(failed.report)
            raise CommandError(
                f"{failed.report.file}: {len(failed.report.errors)} error(s); nothing was "
                f"imported.\n" + "\n".join(f"  {error}" for error in failed.report.errors)
            ) from failed
        verb = "would apply" if dry_run else "applied"
        for change in report.updated:
            self.stdout.write(f"{verb}  {change}")
        self._details(report)
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(f"{prefix}{report.file} [{report.language}]: {report.summary()}.")
        )

    def _details(self, report: ImportReport) -> None:
        for problem in report.conflicts:
            self.stdout.write(self.style.WARNING(f"conflict, not applied: {problem}"))
        for problem in report.sanitised:
            self.stdout.write(self.style.WARNING(f"sanitised: {problem}"))
